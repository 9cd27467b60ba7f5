"""The multi-node training command of deploy/README.md, run as written: two `torchrun` "nodes" of one
CPU process each on 127.0.0.1 (gloo), a tiny preset for two steps. Slow tier."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dcae.checkpoint import read_config
from support.synthetic import write_images

REPO_ROOT = Path(__file__).resolve().parents[2]


def documented_command() -> list[str]:
    text = (REPO_ROOT / "deploy" / "README.md").read_text()
    (line,) = re.findall(r"^torchrun --nnodes .*$", text, re.M)
    return shlex.split(line)


@pytest.mark.slow
def test_two_nodes_train_together(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = write_images(tmp_path / "images", count=4, size=(112, 96))
    cmd = documented_command()
    assert cmd[0] == "torchrun" and cmd[cmd.index("--master_port") + 1] == "29500"
    cmd[0] = str(Path(sys.executable).with_name("torchrun"))
    cmd[cmd.index("--master_port") + 1] = str(port)
    cmd[cmd.index("--data") + 1] = str(data)
    cmd[cmd.index("--run-dir") + 1] = str(tmp_path / "run")
    small = ["--preset", "dc-ae-f32c32-tiny", "--batch-size", "2", "--resolution", "64", "--steps", "2",
             "--warmup", "0", "--num-workers", "0", "--scaling-crops", "4", "--sample-every", "0",
             "--checkpoint-every", "0", "--device", "cpu", "--no-progress"]  # later flags win
    nodes = []
    for rank in range(2):
        env = {**os.environ, "NNODES": "2", "NODE_RANK": str(rank), "GPUS_PER_NODE": "1", "HEAD": "127.0.0.1",
               "OMP_NUM_THREADS": "1"}
        line = " ".join(shlex.quote(c) if not c.startswith("$") else c for c in cmd + small)
        nodes.append(subprocess.Popen(["bash", "-c", line], env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True))
    outputs = []
    for node in nodes:
        try:
            out, _ = node.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            for n in nodes:
                n.kill()
            raise
        outputs.append(out)
        assert node.returncode == 0, out[-3000:]
    training = read_config(tmp_path / "run" / "model")["training"]
    assert training["world_size"] == 2, training
