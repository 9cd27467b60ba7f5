import json
import math
import socket

import pytest
import torch
import torch.multiprocessing as mp

from dcae.checkpoint import load_pretrained, read_config, save_pretrained
from dcae.cli import main
from dcae.models.dc_ae import DCAE, create_model, get_config
from dcae.training.ae import train
from dcae.training.config import TrainConfig
from dcae.training.phases import apply_phase, model_units, phase_parameter_groups
from dcae.training.trainer import Trainer
from support.synthetic import write_images

TINY = "dc-ae-f32c32-tiny"


pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    return write_images(tmp_path_factory.mktemp("images"), count=4, size=(112, 96))


def _config(images, run_dir, **kw) -> TrainConfig:
    base = dict(phase=1, data=str(images), run_dir=str(run_dir), preset=TINY, resolution=64, batch_size=2,
                steps=3, lr=1e-3, warmup=0, num_workers=0, progress=False, log_every=1, sample_every=0,
                checkpoint_every=0, scaling_crops=4, device="cpu")
    base.update(kw)
    return TrainConfig(**base)


def _trained_names(model: DCAE) -> set[str]:
    return {n for n, p in model.named_parameters() if p.requires_grad}


# ----------------------------------------------------------------------------------------------
# Which parameters train


def test_units_cover_every_parameter_once():
    with torch.device("meta"):
        model = DCAE(get_config("dc-ae-f32c32-small"))
    ids = [id(p) for unit in model_units(model).values() for p in unit.parameters()]
    assert len(ids) == len(set(ids)) == len(list(model.parameters()))


def test_phase_parameter_selection():
    with torch.device("meta"):
        model = DCAE(get_config("dc-ae-f32c32-small"))
    total = sum(p.numel() for p in model.parameters())

    sel1 = apply_phase(model, 1)
    assert sel1.trained_total == total and sel1.frozen_total == 0

    # Phase 2: end of the encoder and start of the decoder (2 deepest stages each side by default).
    sel2 = apply_phase(model, 2)
    assert set(sel2.trained) == {"encoder.stages.4", "encoder.stages.5", "encoder.project_out",
                                 "decoder.project_in", "decoder.stages.5", "decoder.stages.4"}
    prefixes2 = tuple(f"{k}." for k in sel2.trained)
    trained = _trained_names(model)
    assert trained and all(n.startswith(prefixes2) for n in trained)
    assert "encoder.stages.1.blocks.0.conv1.weight" not in trained
    assert "decoder.stages.1.blocks.0.conv1.weight" not in trained
    assert sel2.trained_total == sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert sel2.trained_total + sel2.frozen_total == total
    assert 0 < sel2.trained_total < total

    # Phase 3: only the decoder head.
    sel3 = apply_phase(model, 3)
    assert set(sel3.trained) == {"decoder.stages.1", "decoder.norm_out", "decoder.project_out"}  # stages.0 is empty
    assert all(n.startswith(("decoder.stages.0.", "decoder.stages.1.", "decoder.norm_out.", "decoder.project_out."))
               for n in _trained_names(model))
    assert not any(n.startswith("encoder.") for n in _trained_names(model))
    assert sel3.trained_total + sel3.frozen_total == total

    # Configurable depth.
    assert set(phase_parameter_groups(model, 2, adapt_stages=1)) == {
        "encoder.stages.5", "encoder.project_out", "decoder.project_in", "decoder.stages.5"}
    with pytest.raises(ValueError):
        phase_parameter_groups(model, 4)

    text = sel2.format()
    assert "phase 2" in text and "encoder.stages.4" in text and "frozen" in text
    assert f"{sel2.trained_total:,}" in text


# ----------------------------------------------------------------------------------------------
# Optimisation


def test_loss_decreases_on_fixed_batch(images, tmp_path):
    from dcae.data.datasets import RandomCropDataset

    torch.manual_seed(0)
    x = torch.stack([RandomCropDataset(images, 64, seed=0)[i] for i in range(4)])
    trainer = Trainer(_config(images, tmp_path, lr=2e-3), create_model(TINY))
    losses = [float(trainer.step(x)["loss"]) for _ in range(30)]
    assert all(math.isfinite(v) for v in losses)
    assert sum(losses[-5:]) / 5 < 0.7 * sum(losses[:5]) / 5, losses


def test_three_phases_run_and_save(images, tmp_path, capsys):
    # Phase 1 through the CLI.
    p1 = tmp_path / "p1"
    rc = main(["train-ae", "--phase", "1", "--preset", TINY, "--data", str(images), "--run-dir", str(p1),
               "--resolution", "64", "--batch-size", "2", "--steps", "3", "--lr", "1e-3", "--num-workers", "0",
               "--scaling-crops", "4", "--sample-every", "2", "--log-every", "1", "--no-progress", "--device", "cpu", "--json"])
    assert rc == 0
    out = capsys.readouterr().out
    assert "phase 1: training" in out and "encoder.stages.1" in out
    summary = json.loads(out[out.index("{"):])
    assert summary["steps"] == 3
    meta = read_config(p1 / "model")["training"]
    assert meta["phase"] == 1 and meta["phases"] == [1] and meta["steps"] == 3
    assert meta["perceptual_loss"] == "ms-ssim+log-fft-l1"
    assert meta["resolution"] == 64 and meta["data"] == str(images.resolve())
    assert meta["hardware"] and meta["wall_seconds"] >= 0 and "train-ae" in meta["command"]
    model1 = load_pretrained(p1 / "model")
    factor = model1.config.scaling_factor
    assert factor != 1.0 and factor == pytest.approx(meta["scaling_factor"]["value"])
    assert sorted(p.name for p in (p1 / "samples").iterdir()) == ["step-0000002.png", "step-0000003.png"]
    assert len((p1 / "log.jsonl").read_text().splitlines()) == 3

    # Phase 2 at a higher resolution: only the deep stages around the latent move.
    r2 = train(_config(images, tmp_path / "p2", phase=2, preset=None, init=str(p1 / "model"), resolution=128))
    out = capsys.readouterr().out
    assert "phase 2: training" in out and "frozen encoder.stages.1" in out
    model2 = load_pretrained(tmp_path / "p2" / "model")
    s1, s2 = model1.state_dict(), model2.state_dict()
    assert torch.equal(s1["encoder.stages.1.blocks.0.conv1.weight"], s2["encoder.stages.1.blocks.0.conv1.weight"])
    assert torch.equal(s1["decoder.stages.1.blocks.0.conv1.weight"], s2["decoder.stages.1.blocks.0.conv1.weight"])
    assert torch.equal(s1["decoder.project_out.conv.weight"], s2["decoder.project_out.conv.weight"])
    assert not torch.equal(s1["encoder.project_out.weight"], s2["encoder.project_out.weight"])
    assert not torch.equal(s1["decoder.project_in.weight"], s2["decoder.project_in.weight"])
    assert all(math.isfinite(r["loss"]) for r in r2.log)

    # Phase 3 with the GAN: only the decoder head moves; the latent contract is inherited.
    r3 = train(_config(images, tmp_path / "p3", phase=3, preset=None, init=str(tmp_path / "p2" / "model")))
    model3 = load_pretrained(tmp_path / "p3" / "model")
    s3 = model3.state_dict()
    for k in s2:
        if k.startswith("encoder.") or k.startswith(("decoder.project_in", "decoder.stages.5", "decoder.stages.2")):
            assert torch.equal(s2[k], s3[k]), k
    assert not torch.equal(s2["decoder.project_out.conv.weight"], s3["decoder.project_out.conv.weight"])
    assert all(math.isfinite(r["loss"]) and math.isfinite(r["d_loss"]) and r["gan_weight"] >= 0 for r in r3.log)
    meta3 = read_config(tmp_path / "p3" / "model")["training"]
    assert meta3["phases"] == [1, 2, 3] and [h["phase"] for h in meta3["history"]] == [1, 2]
    assert meta3["gan"]["loss"] == "hinge"
    assert model3.config.scaling_factor == model2.config.scaling_factor
    # The saved weights are the EMA weights held in memory.
    for k, v in r3.ema_model.state_dict().items():
        assert torch.equal(v, s3[k]), k


def test_phase_3_without_a_discriminator(images, tmp_path):
    """--disc-weight 0: no PatchGAN is built, trained or saved; the head still trains, the rest stays."""
    start = tmp_path / "start"
    save_pretrained(create_model(TINY), start)
    train(_config(images, tmp_path / "p3", phase=3, preset=None, init=str(start), steps=2, disc_weight=0.0,
                  head_stages=2))
    assert "disc" not in _state(tmp_path / "p3")
    meta = read_config(tmp_path / "p3" / "model")["training"]
    head = ("decoder.stages.1", "decoder.norm_out", "decoder.project_out")  # stages.0 is empty in this preset
    assert meta["gan"] is None and set(meta["trained_units"]) == set(head)
    before, after = (load_pretrained(d).state_dict() for d in (start, tmp_path / "p3" / "model"))
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert changed and all(k.startswith(head) for k in changed), changed


def _state(run_dir):
    return torch.load(run_dir / "checkpoint.pt", weights_only=True)


def test_resume_matches_uninterrupted_run(images, tmp_path):
    # Phase 3 exercises every piece of state: model, EMA, optimiser, discriminator and its optimiser.
    kw = dict(phase=3, steps=4, warmup=2, disc_start=1)
    train(_config(images, tmp_path / "a", **kw))
    train(_config(images, tmp_path / "b", **{**kw, "steps": 2}))
    assert _state(tmp_path / "b")["step"] == 2
    train(_config(images, tmp_path / "b", **kw, resume=True))
    a, b = _state(tmp_path / "a"), _state(tmp_path / "b")
    assert a["step"] == b["step"] == 4
    for part in ("model", "ema", "disc"):
        for k in a[part]:
            assert torch.equal(a[part][k], b[part][k]), (part, k)
    wa, wb = (load_pretrained(tmp_path / d / "model").state_dict() for d in "ab")
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    with pytest.raises(ValueError, match="phase 3"):
        train(_config(images, tmp_path / "b", phase=1, steps=5, resume=True))


# ----------------------------------------------------------------------------------------------
# DDP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ddp_worker(rank: int, world: int, port: int, cfg: TrainConfig, dump_dir: str) -> None:
    import os

    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), LOCAL_RANK=str(rank),
                      WORLD_SIZE=str(world))
    result = train(cfg)
    torch.save({"ema": result.ema_model.state_dict(), "out": str(result.out), "log": result.log},
               f"{dump_dir}/rank{rank}.pt")


def test_ddp_two_processes_agree(images, tmp_path):
    # Phase 3: DDP over the trainable decoder head only, the discriminator under DDP, and the adaptive
    # GAN weight's autograd.grad calls inside a DDP forward.
    cfg = _config(images, tmp_path / "run", phase=3, steps=3, scaling_crops=0)
    mp.spawn(_ddp_worker, args=(2, _free_port(), cfg, str(tmp_path)), nprocs=2, join=True)
    r0, r1 = (torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in (0, 1))
    init = create_model(TINY).state_dict()  # same seed as train(): the initial weights
    assert r1["out"] == "None" and r0["out"] != "None"  # only rank 0 writes
    assert (tmp_path / "run" / "model" / "config.json").is_file()
    for k, v in r0["ema"].items():
        assert torch.allclose(v, r1["ema"][k], atol=1e-6), k
    assert not torch.equal(r0["ema"]["decoder.project_out.conv.weight"], init["decoder.project_out.conv.weight"])
    # Losses are all-reduced before logging, so both ranks log the same numbers.
    assert [r["loss"] for r in r0["log"]] == [r["loss"] for r in r1["log"]]
    assert read_config(tmp_path / "run" / "model")["training"]["world_size"] == 2


def test_batches_are_per_rank_and_resumable():
    from itertools import islice

    from dcae.training.data_order import StepBatchSampler

    def batches(rank, start=0, n=6):
        return list(islice(iter(StepBatchSampler(10, 2, rank, 2, seed=0, start_step=start)), n))

    r0, r1 = batches(0), batches(1)
    for a, b in zip(r0, r1):
        assert not set(a) & set(b)  # ranks see different crops at every step
    assert batches(0, start=3, n=3) == r0[3:]  # resuming at step 3 continues the same sequence
    # One epoch (10 crops / global batch 4) covers every index once before any repeats.
    first_epoch = [k for step in zip(r0, r1) for batch in step for k in batch][:10]
    assert sorted(i for _, i in first_epoch) == list(range(10)) and {e for e, _ in first_epoch} == {0}


def test_device_crops_and_channels_last(images, tmp_path):
    # --data-on-device: the same run twice is identical, and a resumed one continues it exactly;
    # --channels-last changes the memory layout only: the same losses up to float reassociation
    # (weights are not compared: Adam's first steps turn rounding-level gradient differences into
    # lr-sized updates of near-zero-gradient parameters).
    kw = dict(steps=3, data_on_device=True)
    a = train(_config(images, tmp_path / "a", **kw))
    train(_config(images, tmp_path / "b", **{**kw, "steps": 1}))
    b = train(_config(images, tmp_path / "b", **kw, resume=True))
    c = train(_config(images, tmp_path / "c", **kw, channels_last=True))
    sa, sb = (r.ema_model.state_dict() for r in (a, b))
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert [r["loss"] for r in a.log] == pytest.approx([r["loss"] for r in c.log], rel=1e-3)


def test_learning_rate_warms_up_then_stays_or_decays_by_cosine():
    from dcae.training.state import lr_at_step

    base = dict(phase=1, data="d", run_dir="r", preset="dc-ae-f32c32-tiny", lr=1e-3, steps=110, warmup=10)
    const = TrainConfig(**base).resolved()
    cos = TrainConfig(**base, lr_decay="cosine", min_lr_ratio=0.1).resolved()
    for cfg in (const, cos):
        assert lr_at_step(cfg, 0) == pytest.approx(1e-4)  # (0 + 1) / 10 of lr
        assert lr_at_step(cfg, 9) == pytest.approx(1e-3)
    assert lr_at_step(const, 10) == lr_at_step(const, 109) == lr_at_step(const, 500) == 1e-3
    assert lr_at_step(cos, 10) == pytest.approx(1e-3)           # the decay starts after the warm-up
    assert lr_at_step(cos, 60) == pytest.approx(0.55e-3)        # half-way: the mean of lr and min
    assert lr_at_step(cos, 110) == pytest.approx(1e-4)          # min_lr_ratio x lr at --steps
    assert lr_at_step(cos, 400) == pytest.approx(1e-4)          # and after it (a resumed, longer run)
    assert all(lr_at_step(cos, s) >= lr_at_step(cos, s + 1) for s in range(10, 120))
    # with --time-limit the decay also follows the share of the budget spent: whichever is further on
    assert lr_at_step(cos, 10, time_fraction=0.5) == pytest.approx(0.55e-3)
    assert lr_at_step(cos, 60, time_fraction=0.1) == pytest.approx(0.55e-3)
    assert lr_at_step(cos, 20, time_fraction=1.2) == pytest.approx(1e-4)
    assert lr_at_step(const, 20, time_fraction=0.9) == 1e-3
    assert lr_at_step(cos, 5, time_fraction=0.9) == pytest.approx(6e-4)  # warm-up is by steps only
    with pytest.raises(ValueError, match="min_lr_ratio"):
        TrainConfig(**base, lr_decay="cosine", min_lr_ratio=1.5).resolved()


def test_a_missing_data_folder_leaves_no_run_folder(tmp_path, capsys):
    from dcae.cli import main

    run_dir = tmp_path / "run"
    assert main(["train-ae", "--phase", "1", "--preset", "dc-ae-f32c32-tiny", "--data", str(tmp_path / "nowhere"),
                 "--run-dir", str(run_dir), "--steps", "1", "--resolution", "64"]) == 2
    assert "no such file or folder" in capsys.readouterr().err and not run_dir.exists()
