# Prometheus from Debian's package (bookworm: 2.42), built offline (deploy/local_stack.py) on the Debian base:
# the stand-in for prom/prometheus where the registries cannot be reached. Runs as nobody, as that image does.
ARG BASE=dcae-base/python:3.11-bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus \
    && rm -rf /var/lib/apt/lists/* /etc/prometheus/prometheus.yml \
    && install -d -o 65534 -g 65534 /prometheus
USER 65534:65534
WORKDIR /prometheus
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
