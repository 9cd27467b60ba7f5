# A CPU Triton base, built offline (deploy/local_stack.py): Triton 2.51's tritonserver as the nvidia-pytriton
# wheel bundles it (python backend only), in its own environment (numpy < 2 for the backend's stub), laid out
# like NVIDIA's image: the binary on PATH, the python backend under /opt/tritonserver/backends (Triton's
# default backend directory), the non-root user triton-server (uid 1000). The tests run the same tritonserver
# from the same pins (export/triton_env.py, export/triton/requirements.txt, copied here as requirements.txt).
ARG BASE=dcae-base/python:3.11-bookworm
FROM ${BASE}
COPY requirements.txt /tmp/triton-requirements.txt
ENV TRITON_VENV=/opt/tritonserver/venv
RUN python3 -m venv "$TRITON_VENV" \
    && "$TRITON_VENV/bin/pip" install --no-cache-dir --disable-pip-version-check -r /tmp/triton-requirements.txt \
    && server="$TRITON_VENV/lib/python3.11/site-packages/pytriton/tritonserver" \
    && mkdir -p /opt/tritonserver/backends/python \
    && cp -r "$server"/backends/python/. /opt/tritonserver/backends/python/ \
    && cp "$server/python_backend_stubs/3.11/triton_python_backend_stub" /opt/tritonserver/backends/python/ \
    && ln -s "$server/bin/tritonserver" /usr/local/bin/tritonserver \
    && useradd --uid 1000 --user-group --create-home --shell /usr/sbin/nologin triton-server \
    && rm /tmp/triton-requirements.txt
# The stub must load the venv's libpython (Debian's, in LIBDIR) and find the venv's numpy first on PATH.
ENV PATH=/opt/tritonserver/venv/bin:$PATH \
    LD_LIBRARY_PATH=/opt/tritonserver/venv/lib/python3.11/site-packages/nvidia_pytriton.libs:/usr/lib/x86_64-linux-gnu
USER 1000:1000
CMD ["tritonserver", "--help"]
