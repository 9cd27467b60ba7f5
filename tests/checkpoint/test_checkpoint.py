"""Our format round-trips exactly; conversion is strict and says which keys are wrong."""

import json

import pytest
import torch
from safetensors.torch import load_file, save_file

from dcae.checkpoint import CheckpointError, detect_format, load_pretrained, save_pretrained
from dcae.cli import main
from dcae.models.dc_ae import create_model
from dcae.models.random_init import randomize_


def test_save_load_round_trip_is_exact(tmp_path):
    model = randomize_(create_model("dc-ae-f32c32-tiny")).eval()
    save_pretrained(model, tmp_path / "ckpt", metadata={"note": "test"})
    loaded = load_pretrained(tmp_path / "ckpt")
    assert loaded.config == model.config
    for (k, a), (_, b) in zip(model.state_dict().items(), loaded.state_dict().items()):
        assert torch.equal(a, b), k
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(model(x), loaded(x))
    config = json.loads((tmp_path / "ckpt" / "config.json").read_text())
    assert config["format"] == "dcae" and config["note"] == "test"
    assert detect_format(tmp_path / "ckpt") == "dcae"
    # Readable like the config beside it (safetensors alone would write the weights owner-only).
    _assert_weights_mode_is_configs(tmp_path / "ckpt")

    # The generator's weights are written the same way.
    from dcae.contract.sampling import Objective
    from dcae.checkpoint import save_generator
    from dcae.models.dit import DiT, get_config

    dit = DiT(get_config("DiT-S/1").replace(depth=1, hidden_size=32, num_heads=2, in_channels=32, input_size=2))
    save_generator(dit, Objective("flow"), tmp_path / "gen", autoencoder_path="../ckpt")
    _assert_weights_mode_is_configs(tmp_path / "gen")


def _assert_weights_mode_is_configs(directory):
    modes = {f.name: f.stat().st_mode & 0o777 for f in directory.iterdir()}
    assert modes == {"config.json": modes["config.json"], "model.safetensors": modes["config.json"]}


def test_loaded_weights_are_the_files_own_and_survive_a_save_over_it(tmp_path):
    """load_pretrained builds on the meta device and takes the checkpoint's tensors: nothing is left on
    meta, and writing a new checkpoint over the loaded one's files (convert in place, a phase writing over
    its --init) neither crashes nor changes the loaded model."""
    model = randomize_(create_model("dc-ae-f32c32-tiny")).eval()
    save_pretrained(model, tmp_path / "ckpt")
    loaded = load_pretrained(tmp_path / "ckpt")
    assert not any(t.is_meta for t in (*loaded.parameters(), *loaded.buffers()))
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        before = loaded(x)
    save_pretrained(randomize_(create_model("dc-ae-f32c32-tiny"), seed=1), tmp_path / "ckpt")
    assert not (tmp_path / "ckpt" / "model.safetensors.tmp").exists()
    with torch.no_grad():
        assert torch.equal(loaded(x), before)
    assert not torch.equal(load_pretrained(tmp_path / "ckpt")(x), before)


def test_half_precision_storage(tmp_path):
    model = randomize_(create_model("dc-ae-f32c32-tiny"))
    save_pretrained(model, tmp_path / "ckpt", dtype=torch.float16)
    stored = load_file(str(tmp_path / "ckpt" / "model.safetensors"))
    assert stored["decoder.norm_out.weight"].dtype == torch.float16
    loaded = load_pretrained(tmp_path / "ckpt")
    assert loaded.decoder.norm_out.weight.dtype == torch.float32
    assert torch.equal(loaded.decoder.norm_out.weight, model.decoder.norm_out.weight.half().float())


def test_strict_loading_names_the_keys(tmp_path):
    save_pretrained(create_model("dc-ae-f32c32-tiny"), tmp_path / "ckpt")
    weights = tmp_path / "ckpt" / "model.safetensors"
    state = load_file(str(weights))
    state.pop("encoder.project_out.weight")
    state["decoder.extra.weight"] = torch.zeros(1)
    state["decoder.norm_out.bias"] = torch.zeros(3)
    save_file(state, str(weights))
    with pytest.raises(CheckpointError) as e:
        load_pretrained(tmp_path / "ckpt")
    msg = str(e.value)
    assert "missing: encoder.project_out.weight" in msg
    assert "unexpected: decoder.extra.weight" in msg
    assert "decoder.norm_out.bias: checkpoint (3,) vs model (16,)" in msg


def test_unknown_directory_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(CheckpointError, match="cannot tell the checkpoint format"):
        detect_format(tmp_path)
    assert main(["convert", str(tmp_path), str(tmp_path / "out")]) == 2
    assert "cannot tell the checkpoint format" in capsys.readouterr().err


def test_efficientvit_checkpoint_with_unknown_model_name(tmp_path):
    save_file({"x": torch.zeros(1)}, str(tmp_path / "model.safetensors"))
    (tmp_path / "config.json").write_text(json.dumps({"model_name": "dc-ae-f16c4-in-1.0"}))
    with pytest.raises(CheckpointError, match="not a known preset"):
        load_pretrained(tmp_path)


def test_convert_command(tmp_path, capsys):
    model = randomize_(create_model("dc-ae-f32c32-tiny"))
    save_pretrained(model, tmp_path / "src", metadata={"training": {"phase": 3, "steps": 7}})
    assert main(["convert", str(tmp_path / "src"), str(tmp_path / "dst"), "--dtype", "float16", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["source_format"] == "dcae" and out["preset"] == "dc-ae-f32c32-tiny"
    config = json.loads((tmp_path / "dst" / "config.json").read_text())
    assert config["converted_from"]["format"] == "dcae" and config["storage"] == "float16"
    assert config["training"] == {"phase": 3, "steps": 7}  # provenance survives a precision change


def test_a_generator_where_an_autoencoder_is_needed_is_named(tmp_path, capsys):
    from dcae.cli import main

    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "config.json").write_text('{"format": "dcae-generator", "autoencoder": "../ae"}')
    with pytest.raises(CheckpointError, match="is a generator \\(DiT\\) checkpoint") as e:
        load_pretrained(tmp_path / "gen")  # what `dcae encode/decode --model` load
    assert str(tmp_path / "ae") in str(e.value)
    assert main(["info", str(tmp_path / "gen")]) == 2  # a generator, but its config.json lacks the DiT
    assert "lacks 'dit'" in capsys.readouterr().err
    assert main(["info", str(tmp_path / "missing")]) == 2
    assert 'no checkpoint directory' in capsys.readouterr().err
