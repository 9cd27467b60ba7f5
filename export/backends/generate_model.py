"""Triton python backend `generate`: prompt or class label -> images, by Business Logic Scripting.

It calls the repository's own models: `text_encoder` (text-conditioned generators), `dit` once per
sampling step (conditional and unconditional halves in one batch when guidance != 1), and `decoder`.
The sampling mathematics is `sampling.py`, a copy of the gateway's torch-free `service/sampling.py`;
prompts are tokenised by `text_tokenize.py` (a copy of `dcae/text_tokenize.py`) with `tokenizer.json`.
`dcae export` copies all three beside this file, so the model repository is self-contained.

Inputs (max_batch_size 0, each of dims [1]): prompt BYTES (optional), class_label INT64 (optional),
seed INT64, steps INT32, guidance FP32, sampler BYTES (optional), n INT32.
Output: images UINT8 (n, H, W, 3). Image i starts from noise seeded with seed + i (numpy's PCG64),
the same start as the PyTorch pipeline and the gateway, so a seed gives one image everywhere.
A request the client cancels (`request.is_cancelled()`, Triton >= 23.10) stops at its next step.
"""

import json
import os
import sys

import numpy as np
import triton_python_backend_utils as pb_utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sampling  # noqa: E402

ANCESTRAL_SEED_OFFSET = 1_000_003  # ddpm sampler noise: seeded apart from the start noise, as in dcae.generator


class RequestError(ValueError):
    """Something the client should fix."""


class Cancelled(Exception):
    """The client cancelled the request (a gRPC cancel, e.g. the gateway's deadline or a disconnect)."""


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self.here = os.path.join(args["model_repository"], args["model_version"])
        self.meta = json.loads(config["parameters"]["dcae"]["string_value"])
        gen = self.meta["generator"]
        self.objective = sampling.Objective(**gen["objective"])
        self.latent_shape = tuple(gen["latent_shape"])
        self.latent_channels = self.latent_shape[0]
        self.conditioning = gen["conditioning"]
        self.num_classes = gen["dit"]["num_classes"]
        self.text_len = gen["dit"]["text_len"]
        self.scaling_factor = self.meta["autoencoder"]["scaling_factor"]
        self.default_sampler = gen["default_sampler"]
        self.max_images = gen["max_images"]
        self.batch = {name: m["max_batch_size"] for name, m in self.meta["networks"].items()}
        if self.conditioning == "text":
            import text_tokenize

            self.tokenize = text_tokenize.tokenize
            self.tokenizer_path = os.path.join(self.here, "tokenizer.json")

    # -- BLS

    def _infer(self, model, inputs, output):
        """Run `model` over batch-axis chunks no larger than its max_batch_size; concatenate."""
        n = next(iter(inputs.values())).shape[0]
        step = self.batch[model]
        parts = []
        for lo in range(0, n, step):
            tensors = [pb_utils.Tensor(k, np.ascontiguousarray(v[lo:lo + step])) for k, v in inputs.items()]
            kwargs = {}
            if hasattr(pb_utils, "PreferredMemory"):  # outputs in CPU memory even from a GPU model
                kwargs["preferred_memory"] = pb_utils.PreferredMemory(pb_utils.TRITONSERVER_MEMORY_CPU, 0)
            request = pb_utils.InferenceRequest(model_name=model, requested_output_names=[output],
                                                inputs=tensors, **kwargs)
            response = request.exec()
            if response.has_error():
                raise RuntimeError(f"{model}: {response.error().message()}")
            parts.append(pb_utils.get_output_tensor_by_name(response, output).as_numpy())
        return np.concatenate(parts)

    # -- one request

    @staticmethod
    def _scalar(request, name, required=True):
        t = pb_utils.get_input_tensor_by_name(request, name)
        if t is None:
            if required:
                raise RequestError(f"missing input {name!r}")
            return None
        a = t.as_numpy().reshape(-1)
        if a.size != 1:
            raise RequestError(f"input {name!r} must hold one value, got {a.size}")
        v = a[0]
        return v.decode("utf-8") if isinstance(v, bytes) else v.item()

    def _conditions(self, n, prompt, class_label):
        """DiT inputs for the conditional and the unconditional half, each of batch n."""
        if self.conditioning == "text":
            if not prompt:
                raise RequestError("this generator is text-conditioned: give a prompt")
            ids, mask = self.tokenize([prompt], self.text_len, self.tokenizer_path)
            tokens = self._infer("text_encoder", {"input_ids": ids, "attention_mask": mask}, "tokens")
            context = np.repeat(tokens.astype(np.float32), n, axis=0)
            cond = {"context": context, "context_mask": np.repeat(mask.astype(bool), n, axis=0)}
            # All-False mask: the dit model substitutes its learned null context (export/README.md).
            uncond = {"context": np.zeros_like(context), "context_mask": np.zeros((n, self.text_len), dtype=bool)}
            return cond, uncond
        if self.conditioning == "class":
            if class_label is None:
                raise RequestError("this generator is class-conditional: give class_label")
            if not 0 <= class_label < self.num_classes:
                raise RequestError(f"class_label must be in [0, {self.num_classes}), got {class_label}")
            return ({"class_label": np.full((n, 1), class_label, dtype=np.int64)},
                    {"class_label": np.full((n, 1), self.num_classes, dtype=np.int64)})
        return {}, {}

    def _generate(self, request):
        n = int(self._scalar(request, "n"))
        seed = int(self._scalar(request, "seed"))
        steps = int(self._scalar(request, "steps"))
        guidance = float(self._scalar(request, "guidance"))
        sampler = self._scalar(request, "sampler", required=False) or self.default_sampler
        prompt = self._scalar(request, "prompt", required=False)
        class_label = self._scalar(request, "class_label", required=False)
        if not 1 <= n <= self.max_images:
            raise RequestError(f"n must be in [1, {self.max_images}], got {n}")
        if not 1 <= steps <= self.objective.num_timesteps:
            raise RequestError(f"steps must be in [1, {self.objective.num_timesteps}], got {steps}")
        if not np.isfinite(guidance) or guidance < 0:
            raise RequestError(f"guidance must be a finite number >= 0, got {guidance}")
        if seed < 0:
            raise RequestError(f"seed must be >= 0, got {seed}")
        cond, uncond = self._conditions(n, prompt, class_label)
        noise = sampling.initial_noise(self.latent_shape, [seed + i for i in range(n)])
        try:
            state = sampling.SamplerState.start(sampler, self.objective, steps, noise,
                                                np.random.default_rng(seed + ANCESTRAL_SEED_OFFSET))
        except ValueError as e:
            raise RequestError(str(e)) from e
        guided = bool(cond) and guidance != 1.0
        cancellable = hasattr(request, "is_cancelled")  # Triton >= 23.10
        for i in range(steps):
            if cancellable and request.is_cancelled():  # once per step: a cancelled generation stops here
                raise Cancelled(f"generate cancelled by the client after {i} of {steps} steps")
            t = state.timestep(i)[:, None]  # (n, 1): a per-item scalar, as Triton clients send it
            if guided:
                feeds = {"latent": np.concatenate([state.x, state.x]), "timestep": np.concatenate([t, t]),
                         **{k: np.concatenate([cond[k], uncond[k]]) for k in cond}}
                out = self._infer("dit", feeds, "model_output")
                out = sampling.guide(out[:n], out[n:], guidance, self.latent_channels)
            else:
                out = self._infer("dit", {"latent": state.x, "timestep": t, **cond}, "model_output")
            state.step(i, out)
        image = self._infer("decoder", {"latent": (state.x / self.scaling_factor).astype(np.float32)}, "image")
        pixels = np.clip(np.round((image + 1.0) * 127.5), 0, 255).astype(np.uint8)  # as dcae.images.to_uint8
        return np.ascontiguousarray(pixels.transpose(0, 2, 3, 1))  # (n, H, W, 3)

    def execute(self, requests):
        responses = []
        for request in requests:
            try:
                images = self._generate(request)
                responses.append(pb_utils.InferenceResponse([pb_utils.Tensor("images", images)]))
            except RequestError as e:
                responses.append(pb_utils.InferenceResponse(error=_error(str(e), "INVALID_ARG")))
            except Cancelled as e:
                responses.append(pb_utils.InferenceResponse(error=_error(str(e), "CANCELLED")))
            except Exception as e:  # noqa: BLE001 - reported to the client, the model stays up
                responses.append(pb_utils.InferenceResponse(error=pb_utils.TritonError(f"generate failed: {e}")))
        return responses


def _error(message, code_name):
    """A TritonError with the named code where this Triton has it (INVALID_ARG, CANCELLED)."""
    code = getattr(pb_utils.TritonError, code_name, None)
    return pb_utils.TritonError(message, code) if code is not None else pb_utils.TritonError(message)
