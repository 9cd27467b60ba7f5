"""Request and response bodies (OpenAPI at /docs)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dcae.contract.sampling import SAMPLERS

SamplerName = Literal[SAMPLERS]  # the contract's; which fit a model: /v1/models' `samplers`


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


class EncodeRequest(BaseModel):
    model_config = ConfigDict(strict=True)  # JSON types as declared: `"tile": "yes"` is a mistake, not a value

    image: str = Field(..., description="the image file (PNG, JPEG, WebP...) as base64")
    model: str | None = Field(None, description="autoencoder name; default: the loaded one")
    scaled: bool = Field(False, description="multiply by the scaling factor (the diffusion-space latent)")
    tile: bool = Field(False, description="encode in overlapping 512-px tiles (large images)")


class EncodeResponse(BaseModel):
    latent: str = Field(..., description="the latent as a base64 .npy file (float32, (1, C, h, w))")
    shape: list[int]
    dtype: str
    model: str
    scaling_factor: float
    scaled: bool
    image_size: list[int] = Field(..., description="[height, width] of the input; decode crops to it")
    tiled: bool = Field(False, description="encoded in overlapping tiles: asked for, or the image is over "
                                           "DCAE_MAX_UNTILED_PIXELS")


class DecodeRequest(BaseModel):
    model_config = ConfigDict(strict=True)

    latent: str = Field(..., description="a base64 .npy file, (C, h, w) or (N, C, h, w), float32/float16")
    scaled: bool = Field(False, description="the latent is in diffusion space (divide by the scaling factor)")
    image_size: list[int] | None = Field(None, min_length=2, max_length=2, description="[height, width] crop")
    format: Literal["png", "jpeg", "webp"] = "png"
    response_format: Literal["image", "b64_json"] = "image"
    tile: bool = Field(False, description="decode in overlapping tiles (large latents)")
    model: str | None = Field(None, description="autoencoder name; default: the loaded one")


class DecodedImage(BaseModel):
    b64_json: str
    format: str


class DecodeResponse(BaseModel):
    data: list[DecodedImage]
    model: str


class GenerateRequest(BaseModel):
    model_config = ConfigDict(strict=True)

    prompt: str | None = Field(None, max_length=1000, description="text prompt (text-conditioned models, and "
                               "ImageNet class-conditioned ones: the nearest class)")
    class_label: int | None = Field(None, ge=0, description="class index (class-conditioned models); an "
                                    "ImageNet model given a prompt instead generates the nearest class")
    n: int = Field(1, ge=1, description="number of images")
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="image i uses seed + i; random if absent")
    steps: int | None = Field(None, ge=1, description="sampler steps (default from the model); for an adaptive "
                              "sampler (dopri5), the most model evaluations per image")
    guidance: float | None = Field(None, ge=0.0, le=30.0, description="classifier-free guidance scale")
    sampler: SamplerName | None = None
    size: int | None = Field(None, description="image side in pixels (square); the model's native size, or "
                             "for models that take other sizes (SANA) any multiple of the compression up to "
                             "their max_image_size")
    width: int | None = Field(None, ge=1, description="image width in pixels (models that take other sizes: SANA)")
    height: int | None = Field(None, ge=1, description="image height in pixels (as width)")
    resolution_binning: bool = Field(False, description="models that take other sizes: generate at their native "
                                     "area with the asked aspect ratio, then resize and center-crop to the asked "
                                     "size (which then need not be a multiple of the compression)")
    response_format: Literal["b64_json", "png"] = "b64_json"
    model: str | None = Field(None, description="generator name; default: the loaded one")
    negative_prompt: str | None = Field(None, max_length=1000, description="what not to generate (text-conditioned "
                                        "models): the unconditional half of guidance")
    image: str | None = Field(None, description="image-to-image: a start image (PNG, JPEG, WebP...) as base64, "
                              "resized and center-cropped to the model's size")
    strength: float = Field(0.8, ge=0.0, le=1.0, description="with `image`: 0 gives the image back (through the "
                            "autoencoder), 1 ignores it (plain generation)")
    stream: bool = Field(False, description="Server-Sent Events: progress after each step, `partial_images` "
                         "previews, then each image")
    partial_images: int = Field(0, ge=0, le=3, description="with `stream`: previews decoded from the current "
                                "estimate of the clean latent (by the preview decoder when the deployment has one)")
    preview_every_step: bool = Field(False, description="with `stream`: a preview after every step but the last, "
                                     "from the deployment's tiny preview decoder (`dcae export --preview-decoder`, "
                                     "TAESANA); 422 without one")


class GeneratedImage(BaseModel):
    b64_json: str
    seed: int
    class_label: int | None = Field(None, description="class-conditioned models: the class generated")
    class_name: str | None = Field(None, description="its name (ImageNet models)")


class GenerateResponse(BaseModel):
    created: int
    data: list[GeneratedImage]


class ModelInfo(BaseModel):
    id: str = Field(description="the model's name (OpenAI's model object: id, object, created, owned_by)")
    object: Literal["model"] = "model"
    created: int = Field(description="when this gateway loaded it (Unix time)")
    owned_by: str = "dcae"
    name: str
    kind: str
    details: dict


class ModelsResponse(BaseModel):
    object: Literal["list"] = "list"
    runtime: str
    engine: str = Field(description="what runs the networks: openvino or onnxruntime (embedded runtime), triton, "
                                    "torch, or mixed; each model's details.loaded says which runs it")
    precision: str = Field(description="the autoencoder's precision as the runtime loaded it: float32, bfloat16 "
                                       "(OpenVINO, or the torch runtime), int8 (the graphs of `dcae export --int8`), "
                                       "float16 (a GPU repository's graphs); each model's details.loaded names the "
                                       "graphs, and for OpenVINO's bfloat16 how many layers it keeps in float32")
    data: list[ModelInfo]
