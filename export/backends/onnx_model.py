"""Triton python backend: this version directory's `model.onnx` on the CPU, by the gateway's rule
(`dcae_contract.cpu`): OpenVINO in bfloat16 on CPUs that multiply it in hardware, with float32 kept in norms,
attention cores and timestep sinusoids; ONNX Runtime's CPU provider in float32 elsewhere. The config's
parameters `engine` (auto, onnxruntime, openvino), `precision` (auto, float32, bfloat16), `intra_op_threads`
and `cache_dir` (OpenVINO's compiled graphs; default $DCAE_ENGINE_CACHE, else ~/.cache/dcae/openvino) choose; the gateway's variables
DCAE_ENGINE and DCAE_PRECISION, set in tritonserver's environment, override the first two for every model.

Copied as `model.py` into every network of the CPU repository that `dcae export --cpu-python-backend`
writes, for a Triton whose only backend is python (the `tritonserver` in the nvidia-pytriton wheel),
beside `dcae_contract/`, a copy of the torch-free `dcae/contract/`. It serves the same ONNX file, under
the same config, as the GPU repository's onnxruntime model.
Dynamic batching hands `execute` several requests: those whose per-item shapes agree run as one
ONNX Runtime call and are split back.
"""

import json
import os
import sys
from pathlib import Path

import numpy as np
import triton_python_backend_utils as pb_utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dcae_contract.cpu import choose_engine, compile_openvino, cpu_flags, openvino_call, port_names  # noqa: E402

ORT_NUMPY = {"tensor(float)": np.float32, "tensor(float16)": np.float16, "tensor(int64)": np.int64,
             "tensor(int32)": np.int32, "tensor(bool)": np.bool_, "tensor(uint8)": np.uint8}


def _openvino_available() -> bool:
    try:
        import openvino  # noqa: F401
    except ImportError:
        return False
    return True


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        params = {k: v["string_value"] for k, v in config.get("parameters", {}).items()}
        threads = int(params.get("intra_op_threads", "0"))  # 0: the engine's default (every core)
        path = os.path.join(args["model_repository"], args["model_version"], "model.onnx")
        engine, precision = os.environ.get("DCAE_ENGINE"), os.environ.get("DCAE_PRECISION")
        choice = choose_engine(engine or params.get("engine", "auto"), precision or params.get("precision", "auto"),
                               cpu_flags(os.environ.get("DCAE_CPU_FLAGS") or params.get("cpu_flags", "")),
                               _openvino_available(),
                               setting=("DCAE_ENGINE" if engine else "parameters.engine",
                                        "DCAE_PRECISION" if precision else "parameters.precision"))
        logger = pb_utils.Logger
        if choice.engine == "openvino":
            import onnx
            import openvino as ov

            cache = (params.get("cache_dir") or os.environ.get("DCAE_ENGINE_CACHE")
                     or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dcae" / "openvino")
            compiled, kept = compile_openvino(
                ov, path, choice.precision, threads, cache,
                read_nodes=lambda: onnx.load(path, load_external_data=False).graph.node, log=logger.log_info)
            self.outputs = port_names(compiled.outputs, [o["name"] for o in config.get("output", [])])
            self.run = openvino_call(compiled, self.outputs)
            self.inputs = [(name, i.get_partial_shape().rank.get_length(), i.get_element_type().to_dtype())
                           for name, i in zip(port_names(compiled.inputs, [i["name"] for i in config.get("input", [])]),
                                              compiled.inputs)]
        else:
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
            self.inputs = [(i.name, len(i.shape), ORT_NUMPY[i.type]) for i in session.get_inputs()]
            self.outputs = [o.name for o in session.get_outputs()]
            self.run = lambda feeds: dict(zip(self.outputs, session.run(self.outputs, feeds)))
        self.engine = f"{choice.engine} {choice.precision}"
        logger.log_info(f"{args['model_name']}: {self.engine} ({choice.reason})")
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
                    results = [[self.run(members[0][1])[name] for name in self.outputs]]
                else:
                    sizes = [next(iter(f.values())).shape[0] for _, f in members]
                    batch = {name: np.concatenate([f[name] for _, f in members]) for name in members[0][1]}
                    outs = [self.run(batch)[name] for name in self.outputs]
                    cuts = np.cumsum(sizes)[:-1]
                    results = list(zip(*[np.split(o, cuts) for o in outs]))
                for (k, _), result in zip(members, results):
                    responses[k] = pb_utils.InferenceResponse(
                        [pb_utils.Tensor(name, np.ascontiguousarray(v)) for name, v in zip(self.outputs, result)])
            except Exception as e:  # noqa: BLE001 - reported to the client, the model stays up
                for k, _ in members:
                    responses[k] = pb_utils.InferenceResponse(error=pb_utils.TritonError(f"{self.engine}: {e}"))
        return responses
