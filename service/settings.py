"""Gateway settings, read once from the environment (prefix DCAE_) through `get_settings`; tests
override the dependency. Every field is documented in docs/deployment.md's settings table."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dcae.contract.tiling import MAX_UNTILED_PIXELS


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DCAE_", protected_namespaces=())

    model_repository: Path = Field(Path("model_repository"), description="exported models (config.pbtxt + ONNX)")
    runtime: Literal["embedded", "triton", "torch"] = Field(
        "embedded", description="in-process ONNX Runtime, Triton, or in-process PyTorch (GPU boxes without Triton)")
    triton_urls: str = Field("127.0.0.1:8001", description="Triton gRPC endpoints, comma-separated (round robin)")
    generate_loop: Literal["gateway", "triton"] = Field(
        "gateway", description="triton runtime: run the sampling loop here (step batching) or call Triton's generate model")
    engine: Literal["auto", "onnxruntime", "openvino"] = Field(
        "auto", description="embedded: what runs the graphs; auto: OpenVINO on CPUs with bfloat16 matrix instructions "
                            "(AMX, AVX512-BF16), else ONNX Runtime (the portable fallback)")
    precision: Literal["auto", "float32", "bfloat16", "int8"] = Field(
        "auto", description="embedded: auto is bfloat16 where OpenVINO runs on a bfloat16 CPU (norms, attention cores "
                            "and timestep sinusoids stay float32), else float32, which is exact; int8 runs the encoder "
                            "and decoder graphs of `dcae export --int8` (PSNR cost in docs/BENCHMARKS.md)")
    engine_cache: Path | None = Field(None, description="embedded, OpenVINO: folder for the compiled graphs, so a restart "
                                      "compiles nothing (default: $XDG_CACHE_HOME/dcae/openvino or ~/.cache/dcae/openvino)")
    cpu_flags: str = Field("", description="embedded: the CPU feature flags `auto` decides by (default: read from "
                                           "/proc/cpuinfo); set to pin one choice across a mixed fleet")
    weights: Path = Field(Path("weights"), description="torch runtime: folder holding the PyTorch checkpoints the "
                          "repository was exported from (found by their weights' SHA-256)")
    torch_device: str = Field("auto", description="torch runtime: cuda, cuda:N or cpu (auto: cuda when present)")
    torch_dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        "auto", description="torch runtime: compute dtype (auto: bfloat16 on CUDA and on CPUs with bfloat16 matrix "
                            "instructions, float32 elsewhere)")
    cuda_graphs: bool = Field(True, description="torch runtime on CUDA: replay the DiT step from CUDA graphs")
    micro_batching: bool = Field(True, description="embedded and torch: batch concurrent requests per model")
    max_batch_size: int = Field(8, ge=1, description="embedded and torch micro-batching: rows per call")
    max_batch_pixels: int = Field(8 * 512 * 512, ge=1, description="embedded and torch micro-batching: most image pixels per "
                                  "encoder or decoder call (memory grows with them); a larger request runs in parts that fit")
    max_batch_wait_ms: float = Field(4.0, ge=0, description="embedded and torch micro-batching: wait for more requests")
    ort_threads: int = Field(0, ge=0, description="embedded: the engine's intra-op threads, ONNX Runtime's or "
                                                 "OpenVINO's (0: all cores)")
    max_image_pixels: int = Field(4096 * 4096, description="largest image accepted (decompression-bomb cap)")
    max_body_bytes: int = Field(32 * 2**20, description="largest request body")
    body_timeout_seconds: float = Field(60.0, gt=0, description="the whole body must arrive within this (408 "
                                        "beyond); bodies are read before admission, so slow senders hold no place")
    max_json_members: int = Field(10_000, ge=1, description="JSON bodies with more keys, elements or nesting "
                                  "than this are refused before parsing (a few are legitimate)")
    header_timeout_seconds: float = Field(10.0, gt=0, description="`python -m service`: a connection must send a "
                                          "whole request head within this (on opening, and after each response)")
    max_connections: int = Field(64, ge=1, description="`python -m service`: open connections at once; beyond "
                                 "them 503 (uvicorn's limit_concurrency); bounds memory held by bodies in flight")
    max_untiled_pixels: int = Field(MAX_UNTILED_PIXELS, ge=1, description="larger images (and latents of larger images) "
                                    "are encoded and decoded in tiles, whatever `tile` says: bounded memory")
    image_decode_workers: int = Field(2, ge=1, description="processes decoding uploaded images (stopped, and "
                                      "replaced, when their request's deadline passes or its client leaves)")
    max_generate_n: int = Field(8, ge=1, description="most images per generate request")
    max_steps: int = Field(100, ge=1, description="most sampler steps per generate request (a model whose own "
                                                 "default is more, e.g. the DiT-XL release's 250, allows that)")
    readiness_ttl_seconds: float = Field(2.0, ge=0, description="cache of the readiness probe's real inferences")
    request_timeout_seconds: float = Field(300.0, gt=0, description="per-request deadline (504 beyond it)")
    write_timeout_seconds: float = Field(30.0, gt=0, description="a response write that cannot go out within this "
                                         "(a client that stopped reading a stream) ends the request and frees its place")
    max_queue: int = Field(32, ge=1, description="requests per endpoint (encode, decode, generate) admitted at "
                                                 "once, running or waiting; beyond it 503 with Retry-After")
    # Who may call (service/security.py). No keys configured: authentication is off.
    api_keys: str = Field("", description="API keys as comma-separated `name:sha256hex:scopes:rate_per_minute` "
                                          "(scopes joined by +, or *; rate 0: unlimited)")
    api_keys_file: Path | None = Field(None, description="JSON list of {name, sha256, scopes, rate_per_minute, burst}")
    public_paths: str = Field("/health/live,/health/ready,/docs,/docs/oauth2-redirect,/openapi.json,/redoc,/,"
                              "/static/*",
                              description="paths served without a key when authentication is on (/metrics "
                                          "needs a key with the metrics scope unless listed here)")
    cors_origins: str = Field("", description="origins allowed by CORS, comma-separated; empty: CORS off")

    @field_validator("api_keys_file", "engine_cache", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value  # DCAE_API_KEYS_FILE= means no file, not the current directory

    def openvino_cache(self) -> Path:
        if self.engine_cache is not None:
            return self.engine_cache
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dcae" / "openvino"


@lru_cache
def get_settings() -> Settings:
    return Settings()
