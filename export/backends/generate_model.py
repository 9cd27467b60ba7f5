"""Triton python backend `generate`: prompt or class label -> images, by Business Logic Scripting.

It calls the repository's own models: `text_encoder` (text-conditioned generators), `dit` once per
sampling step (conditional and unconditional halves in one batch when guidance != 1), and `decoder`.
The sampling loop, the seeding rule, prompt tokenisation (with `tokenizer.json`) and the pixel
conversion are the package `dcae_contract`, a copy of the torch-free `dcae/contract/` that the gateway
and the ML core run too. `dcae export` copies it beside this file: the model repository is self-contained.

Inputs (max_batch_size 0, each of dims [1]): prompt BYTES (optional), negative_prompt BYTES (optional),
class_label INT64 (optional), seed INT64, steps INT32, guidance FP32, sampler BYTES (optional), n INT32;
height and width INT32 (optional; generators that take other sizes than their own, SANA); image UINT8 (H, W, 3)
at the generated size and strength FP32 (both optional): image-to-image, the image encoded, noised to the
matching step and denoised from there (SDEdit). SANA's prompts follow its rules (`dcae_contract.sana_prompt`:
the instruction, 300 selected Gemma-2 states; the negative prompt, default empty, as guidance's other half).
Outputs: images UINT8 (n, H, W, 3); class_label INT64 [1], the class generated (-1 for a generator
without classes): an ImageNet generator given a prompt and no class label generates the class whose
prompt embedding is nearest (`imagenet_classes.npz` beside this file, written by `dcae export`). Image i starts from noise seeded with seed + i (numpy's PCG64),
the same start as the PyTorch pipeline and the gateway, so a seed gives one image everywhere.
A request the client cancels (`request.is_cancelled()`, Triton >= 23.10) stops at its next step.
"""

import json
import os
import sys

import numpy as np
import triton_python_backend_utils as pb_utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dcae_contract import generation, sampling  # noqa: E402
from dcae_contract.conditioning import Conditioning, ConditioningError  # noqa: E402
from dcae_contract.imagenet_classes import CLASS_TABLE_FILE, ClassTable  # noqa: E402
from dcae_contract.latents import LatentSpace  # noqa: E402
from dcae_contract.metadata import METADATA_KEY, parse_metadata  # noqa: E402
from dcae_contract.pixels import to_model, to_uint8  # noqa: E402


class RequestError(ValueError):
    """Something the client should fix."""


class Cancelled(Exception):
    """The client cancelled the request (a gRPC cancel, e.g. the gateway's deadline or a disconnect)."""


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self.here = os.path.join(args["model_repository"], args["model_version"])
        self.meta = parse_metadata(config["parameters"][METADATA_KEY]["string_value"])
        gen = self.meta.generator
        self.objective = sampling.Objective(**gen.objective)
        self.latent_shape = tuple(gen.latent_shape)
        self.conditioning = gen.conditioning
        self.num_classes = gen.num_classes
        self.text_len = gen.text_len
        self.compression = self.meta.autoencoder.compression
        self.latent_space = LatentSpace(self.meta.autoencoder.scaling_factor)
        self.default_sampler = gen.default_sampler
        self.max_images = gen.max_images
        self.embedded_guidance = gen.embedded_guidance
        self.batch = {name: network.max_batch_size for name, network in self.meta.networks.items()}
        self.tokenizer_path = os.path.join(self.here, "tokenizer.json")
        table = os.path.join(self.here, CLASS_TABLE_FILE)
        self.class_table = ClassTable.load(table) if self.conditioning == "class" and os.path.isfile(table) else None
        self.prompting = None
        if self.meta.text_encoder is not None and self.meta.text_encoder.prompting is not None:
            from dcae_contract.sana_prompt import SanaPrompting

            self.prompting = SanaPrompting.from_metadata(self.tokenizer_path, self.meta.text_encoder.prompting)
        elif self.meta.text_encoder is not None:
            from dcae_contract.text_tokenize import tokenize

            self.tokenize = tokenize
        self.rule = Conditioning(self.conditioning, self.num_classes or 0,
                                 negative_caption=self.prompting is not None,
                                 prompt_classes=self.class_table is not None, embedded_guidance=self.embedded_guidance)

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

    def _size(self, request):
        """(height, width) in pixels: the optional inputs, for generators that take other sizes."""
        gen, f = self.meta.generator, self.compression
        height = self._scalar(request, "height", required=False) or gen.image_size
        width = self._scalar(request, "width", required=False) or gen.image_size
        if (height, width) != (gen.image_size, gen.image_size):
            if gen.max_image_size is None:
                raise RequestError(f"this generator makes {gen.image_size}px images only, not {height}x{width}")
            problem = generation.size_problem(height, width, f, gen.max_image_size)
            if problem is not None:
                raise RequestError(problem)
        return int(height), int(width)

    def _init_latent(self, request, size):
        """Image-to-image: the optional `image` (H, W, 3) UINT8 at the generated size and `strength`
        -> (its diffusion-space latent, strength), or (None, 1.0)."""
        t = pb_utils.get_input_tensor_by_name(request, "image")
        strength = self._scalar(request, "strength", required=False)
        if t is None:
            return None, 1.0
        image = t.as_numpy()
        if image.dtype != np.uint8 or image.shape != (*size, 3):
            raise RequestError(f"image must be uint8 ({size[0]}, {size[1]}, 3), got {image.dtype} {list(image.shape)}")
        strength = 1.0 if strength is None else float(strength)
        if not 0.0 <= strength <= 1.0:
            raise RequestError(f"strength must be in [0, 1], got {strength}")
        if strength >= 1.0:
            return None, 1.0
        latent = self._infer("encoder", {"image": to_model(image)}, "latent")
        return self.latent_space.to_diffusion(latent), strength

    def _conditions(self, n, prompt, class_label, negative_prompt=None):
        """DiT inputs for the conditional and the unconditional half, each of batch n (the contract's rule)."""

        def encode(text, negative):
            if self.prompting is not None:  # SANA's rules
                ids, mask = self.prompting.tokenize([text], negative)
                states = self._infer("text_encoder", {"input_ids": ids, "attention_mask": mask}, "tokens")
                return self.prompting.select(states, mask, negative)
            ids, mask = self.tokenize([text], self.text_len, self.tokenizer_path)
            return self._infer("text_encoder", {"input_ids": ids, "attention_mask": mask}, "tokens"), mask

        try:
            cond, uncond = self.rule.conditions(n, prompt, negative_prompt, class_label, encode)
        except ConditioningError as e:
            raise RequestError(str(e)) from None
        if "class_label" in cond:  # the exported DiT's class_label input is (N, 1)
            return {"class_label": cond["class_label"][:, None]}, {"class_label": uncond["class_label"][:, None]}
        return cond, uncond

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
        if self.conditioning == "class" and class_label is None and prompt and self.class_table is not None:
            class_label = self._prompt_class(prompt)
        cond, uncond = self._conditions(n, prompt, class_label, self._scalar(request, "negative_prompt", required=False))
        size = self._size(request)
        init, strength = self._init_latent(request, size)
        latent_shape = (self.latent_shape[0], size[0] // self.compression, size[1] // self.compression)
        try:
            loop = generation.GuidedDenoising.start(self.objective, sampler, steps, latent_shape, seed, n, cond,
                                                    uncond, guidance, init_latent=init, strength=strength,
                                                    embedded_guidance=self.embedded_guidance)
        except ValueError as e:
            raise RequestError(str(e)) from e
        cancellable = hasattr(request, "is_cancelled")  # Triton >= 23.10
        of = "" if loop.total is None else f" of {loop.total}"  # an adaptive sampler's count is not known ahead
        for done, i in enumerate(loop.steps):
            if cancellable and request.is_cancelled():  # once per step: a cancelled generation stops here
                raise Cancelled(f"generate cancelled by the client after {done}{of} steps")
            feeds = loop.inputs(i)
            for name in ("timestep", "guidance"):  # (N, 1): per-item scalars, as Triton clients send them
                if name in feeds:
                    feeds[name] = feeds[name][:, None]
            try:
                loop.advance(i, self._infer("dit", feeds, "model_output"))
            except sampling.SamplerBudgetError as e:  # dopri5 out of the request's steps
                raise RequestError(f"steps: {e}") from e
        latent = self.latent_space.from_diffusion(loop.x).astype(np.float32)
        images = to_uint8(self._infer("decoder", {"latent": latent}, "image"))  # (n, H, W, 3)
        return images, -1 if class_label is None else int(class_label)

    def _prompt_class(self, prompt):
        """The ImageNet class nearest to a prompt (the text encoder's pooled embedding, cosine)."""
        ids, mask = self.tokenize([prompt], self.meta.text_encoder.max_length, self.tokenizer_path)
        pooled = self._infer("text_encoder", {"input_ids": ids, "attention_mask": mask}, "pooled")
        return self.class_table.nearest(pooled[0])[0]

    def execute(self, requests):
        responses = []
        for request in requests:
            try:
                images, class_label = self._generate(request)
                responses.append(pb_utils.InferenceResponse([pb_utils.Tensor("images", images), pb_utils.Tensor(
                    "class_label", np.array([class_label], np.int64))]))
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
