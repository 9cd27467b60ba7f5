"""Distributed setup (torchrun: nccl on CUDA, gloo on CPU) and the hardware name recorded with a run."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist



@dataclass(frozen=True)
class DistInfo:
    rank: int
    world_size: int
    device: torch.device
    owns_process_group: bool

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def init_distributed(device: str | None = None) -> DistInfo:
    """Single process, or one process of a `torchrun` job (WORLD_SIZE/RANK/LOCAL_RANK set)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    use_cuda = torch.cuda.is_available() and (device is None or device.startswith("cuda"))
    if world == 1:
        return DistInfo(0, 1, torch.device(device or ("cuda" if use_cuda else "cpu")), False)
    rank, local_rank = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", os.environ["RANK"]))
    dev = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(dev)
    owns = not dist.is_initialized()
    if owns:
        dist.init_process_group("nccl" if use_cuda else "gloo")
    return DistInfo(rank, world, dev, owns)


def hardware_name(device: torch.device, world_size: int = 1) -> str:
    if device.type == "cuda":
        return f"{world_size} x {torch.cuda.get_device_name(device)}"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{world_size} x CPU process ({cpu}, {torch.get_num_threads()} threads, {os.cpu_count()} logical CPUs)"
