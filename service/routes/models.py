"""GET /v1/models: what is loaded, as the runtime loaded it."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request

from service.routes.common import ERRORS, PipelinesDep, SettingsDep
from service.routes.generate import max_steps
from service.schemas import ModelsResponse

models_router = APIRouter(prefix="/v1", tags=["models"])


@models_router.get("/models", response_model=ModelsResponse, summary="What is loaded", responses=ERRORS)
async def models(request: Request, pipes: PipelinesDep, settings: SettingsDep):
    ae, runner = pipes.repo.autoencoder, request.app.state.runner
    loaded = runner.loaded  # what the runtime actually loaded, per network
    data = [{"name": ae.name, "kind": "autoencoder",
             "details": {**asdict(ae), "latent_shape_per_512px": [ae.latent_channels, 512 // ae.compression,
                                                                  512 // ae.compression],
                         "loaded": {n: loaded[n] for n in ("encoder", "decoder") if n in loaded}}}]
    gen = pipes.generator
    if gen is not None:
        data.append({"name": gen.name, "kind": "generator",
                     "details": {k: getattr(gen, k) for k in ("family", "conditioning", "latent_shape", "image_size",
                                                              "max_image_size", "default_steps", "default_guidance",
                                                              "default_sampler", "samplers")}
                     | {"objective": gen.objective["kind"], "max_steps": max_steps(gen, settings),
                        "guidance": "embedded" if gen.embedded_guidance else "classifier-free"}
                     | ({"prompts": "mapped to the nearest ImageNet class"} if pipes.class_table is not None else {})
                     | ({"loaded": loaded["dit"]} if "dit" in loaded else {})})
    te = pipes.repo.metadata.text_encoder
    if te is not None:
        data.append({"name": te.name, "kind": "text_encoder",
                     "details": asdict(te) | ({"loaded": loaded["text_encoder"]} if "text_encoder" in loaded else {})})
    preview = pipes.repo.metadata.preview_decoder
    if preview is not None:
        data.append({"name": preview["name"], "kind": "preview_decoder",
                     "details": preview | ({"loaded": loaded["preview_decoder"]} if "preview_decoder" in loaded else {})})
    started = int(request.app.state.started_at)
    for item in data:  # OpenAI's model objects too (`client.models.list()`): id, object, created, owned_by
        item.update({"id": item["name"], "object": "model", "created": started, "owned_by": "dcae"})
    return {"object": "list", "runtime": settings.runtime, "engine": runner.engine, "precision": runner.precision,
            "data": data}
