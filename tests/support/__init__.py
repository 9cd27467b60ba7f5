"""What the tests share: tiny random models (`tiny`), synthetic images (`synthetic`), published layouts written
from their official grammar (`releases`), export artifacts (`artifacts`), gateways and Triton servers started
for a test (`served`, `gateway`, `triton`, `triton_client` run in Triton's own environment), the dashboards'
queries (`monitoring`) and scratch folders (`scratch`)."""
