"""Triton python backend: this version directory's `model.onnx` on ONNX Runtime's CPU provider.

Copied as `model.py` into every network of the CPU repository that `dcae export --cpu-python-backend`
writes, for a Triton whose only backend is python (the `tritonserver` in the nvidia-pytriton wheel).
It serves the same ONNX file, under the same config, as the GPU repository's onnxruntime model.
Dynamic batching hands `execute` several requests: those whose per-item shapes agree run as one
ONNX Runtime call and are split back.
"""

import json
import os

import numpy as np
import onnxruntime as ort
import triton_python_backend_utils as pb_utils

ORT_NUMPY = {"tensor(float)": np.float32, "tensor(float16)": np.float16, "tensor(int64)": np.int64,
             "tensor(int32)": np.int32, "tensor(bool)": np.bool_, "tensor(uint8)": np.uint8}


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        params = {k: v["string_value"] for k, v in config.get("parameters", {}).items()}
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(params.get("intra_op_threads", "0"))  # 0: ONNX Runtime's default
        path = os.path.join(args["model_repository"], args["model_version"], "model.onnx")
        self.session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.inputs = [(i.name, len(i.shape), ORT_NUMPY[i.type]) for i in self.session.get_inputs()]
        self.outputs = [o.name for o in self.session.get_outputs()]
        self.batched = config.get("max_batch_size", 0) > 0

    def _feeds(self, request):
        feeds = {}
        for name, rank, dtype in self.inputs:
            tensor = pb_utils.get_input_tensor_by_name(request, name)
            if tensor is None:
                raise ValueError(f"missing input {name!r}")
            a = tensor.as_numpy()
            if a.ndim == rank + 1 and a.shape[-1] == 1:  # a per-item scalar sent as (N, 1) (config reshape)
                a = a.reshape(a.shape[:-1])
            if a.ndim != rank:
                raise ValueError(f"input {name!r} has shape {list(a.shape)}; the model takes rank {rank}")
            feeds[name] = a.astype(dtype, copy=False)
        return feeds

    def execute(self, requests):
        responses = [None] * len(requests)
        groups = {}
        for k, request in enumerate(requests):
            try:
                feeds = self._feeds(request)
            except ValueError as e:
                responses[k] = pb_utils.InferenceResponse(error=pb_utils.TritonError(str(e)))
                continue
            key = tuple((name, a.shape[1:] if self.batched else a.shape) for name, a in feeds.items())
            groups.setdefault(key if self.batched else k, []).append((k, feeds))
        for members in groups.values():
            try:
                if len(members) == 1:
                    results = [self.session.run(self.outputs, members[0][1])]
                else:
                    sizes = [next(iter(f.values())).shape[0] for _, f in members]
                    batch = {name: np.concatenate([f[name] for _, f in members]) for name in members[0][1]}
                    outs = self.session.run(self.outputs, batch)
                    cuts = np.cumsum(sizes)[:-1]
                    results = list(zip(*[np.split(o, cuts) for o in outs]))
                for (k, _), result in zip(members, results):
                    responses[k] = pb_utils.InferenceResponse(
                        [pb_utils.Tensor(name, np.ascontiguousarray(v)) for name, v in zip(self.outputs, result)])
            except Exception as e:  # noqa: BLE001 - reported to the client, the model stays up
                for k, _ in members:
                    responses[k] = pb_utils.InferenceResponse(error=pb_utils.TritonError(f"onnxruntime: {e}"))
        return responses
