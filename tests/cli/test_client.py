"""`dcae client` against a real gateway on 127.0.0.1."""

import json

import numpy as np
from PIL import Image

from dcae.cli import main
from support.served import png_bytes


def test_client_round_trip_and_generate(server, tmp_path, capsys):
    url = server.url
    (tmp_path / "in.png").write_bytes(png_bytes(70, 100))
    assert main(["client", "encode", str(tmp_path / "in.png"), "-o", str(tmp_path / "z.npy"), "--url", url]) == 0
    assert np.load(tmp_path / "z.npy", allow_pickle=False).shape == (1, 32, 3, 4)
    assert json.loads((tmp_path / "z.json").read_text())["image_size"] == [70, 100]
    assert main(["client", "decode", str(tmp_path / "z.npy"), "-o", str(tmp_path / "out.png"), "--url", url]) == 0
    assert Image.open(tmp_path / "out.png").size == (100, 70)  # cropped back using the sidecar
    capsys.readouterr()
    assert main(["client", "generate", "--prompt", "red sunset", "-n", "2", "--seed", "4", "--steps", "2",
                 "-o", str(tmp_path / "g.png"), "--url", url]) == 0
    assert json.loads(capsys.readouterr().out)["images"] == [str(tmp_path / "g_0.png"), str(tmp_path / "g_1.png")]
    assert main(["client", "generate", "--prompt", "x", "--steps", "1000", "-o", str(tmp_path / "x.png"),
                 "--url", url]) == 2
    assert "steps: at most 100" in capsys.readouterr().err
