"""Python-backend model files that `dcae export` copies into a Triton model repository (they run
inside Triton, importing `triton_python_backend_utils`; nothing here imports them)."""
