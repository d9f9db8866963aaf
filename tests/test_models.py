"""nanoGPT -> GPT2LMHeadModel conversion is exact, loading errors are clear, the CLI round-trips.

The nanoGPT model below is a minimal faithful copy of nanoGPT's model.py forward pass (LayerNorm
with optional bias, fused c_attn, exact GELU, tied lm_head), so the test needs no download.
"""
import math
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GPT2LMHeadModel, PreTrainedTokenizerFast

from rlvr import convert
from rlvr.models import (ModelLoadError, convert_nanogpt, load_model, load_tokenizer,
                         prepare_tokenizer, random_gpt2)

torch.set_num_threads(1)

JAVA_LINES = [
    "public class BinarySearchTree {",
    "    private Node root;",
    "    public boolean contains(int key) {",
    "        Node cur = root;",
    "        while (cur != null) {",
    "            if (key < cur.key) { cur = cur.left; } else if (key > cur.key) { cur = cur.right; }",
    "            else { return true; }",
    "        }",
    "        return false;",
    "    }",
]
EOS = "<|endoftext|>"
TOKENIZER_SIZE = 80
PADDED_VOCAB = 128  # nanoGPT pads the vocab to a multiple of 64 (50257 -> 50304); rows 80..127 are padding


# --- nanoGPT's model, from its equations ------------------------------------------------------

class LayerNorm(nn.Module):
    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, a, mask_buffer):
        super().__init__()
        self.c_attn = nn.Linear(a["n_embd"], 3 * a["n_embd"], bias=a["bias"])
        self.c_proj = nn.Linear(a["n_embd"], a["n_embd"], bias=a["bias"])
        self.n_head, self.n_embd = a["n_head"], a["n_embd"]
        self.mask_buffer = mask_buffer
        if mask_buffer:  # nanoGPT without flash attention, as in older checkpoints
            T = a["block_size"]
            self.register_buffer("bias", torch.tril(torch.ones(T, T)).view(1, 1, T, T))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        if self.mask_buffer:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
            y = F.softmax(att, dim=-1) @ v
        else:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.c_fc = nn.Linear(a["n_embd"], 4 * a["n_embd"], bias=a["bias"])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * a["n_embd"], a["n_embd"], bias=a["bias"])

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, a, mask_buffer):
        super().__init__()
        self.ln_1 = LayerNorm(a["n_embd"], a["bias"])
        self.attn = CausalSelfAttention(a, mask_buffer)
        self.ln_2 = LayerNorm(a["n_embd"], a["bias"])
        self.mlp = MLP(a)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class NanoGPT(nn.Module):
    def __init__(self, a, mask_buffer=False):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(a["vocab_size"], a["n_embd"]),
            wpe=nn.Embedding(a["block_size"], a["n_embd"]),
            h=nn.ModuleList([Block(a, mask_buffer) for _ in range(a["n_layer"])]),
            ln_f=LayerNorm(a["n_embd"], a["bias"]),
        ))
        self.lm_head = nn.Linear(a["n_embd"], a["vocab_size"], bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying

    def forward(self, idx):
        pos = torch.arange(idx.size(1))
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x))


def model_args(bias=True, vocab_size=PADDED_VOCAB):
    return dict(n_layer=2, n_head=4, n_embd=32, block_size=64, bias=bias, vocab_size=vocab_size, dropout=0.0)


def save_nanogpt_ckpt(path, args, prefix="", mask_buffer=False, seed=0):
    """A random nanoGPT and its ckpt.pt, shaped like nanoGPT's train.py writes it."""
    torch.manual_seed(seed)
    model = NanoGPT(args, mask_buffer)
    with torch.no_grad():
        for p in model.parameters():  # random everything, biases and LayerNorm gains included
            p.normal_(0.0, 0.1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model(torch.zeros(1, 4, dtype=torch.long)).sum().backward()
    optimizer.step()  # real optimizer state in the checkpoint, as train.py saves it
    state = {prefix + k: v for k, v in model.state_dict().items()}
    torch.save({"model": state, "optimizer": optimizer.state_dict(), "model_args": args,
                "iter_num": 5000, "best_val_loss": torch.tensor(1.23),
                "config": {"dataset": "java", "compile": bool(prefix), "learning_rate": 6e-4}}, path)
    return model.eval()


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tokenizer_dir(tmp_path_factory):
    """A byte-level BPE with exactly TOKENIZER_SIZE tokens, trained here on a few Java lines."""
    raw = Tokenizer(models.BPE())
    raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    raw.decoder = decoders.ByteLevel()
    raw.train_from_iterator(JAVA_LINES * 4, trainers.BpeTrainer(
        vocab_size=TOKENIZER_SIZE, special_tokens=[EOS], show_progress=False))
    assert raw.get_vocab_size() == TOKENIZER_SIZE
    path = tmp_path_factory.mktemp("tokenizer")
    PreTrainedTokenizerFast(tokenizer_object=raw, eos_token=EOS).save_pretrained(path)
    bare = tmp_path_factory.mktemp("gpt2_bpe_files")
    raw.model.save(str(bare))  # vocab.json + merges.txt, as GPT-2 BPE files are kept on disk
    return path, bare


def input_ids():
    return torch.randint(0, TOKENIZER_SIZE, (2, 16), generator=torch.Generator().manual_seed(1))


# --- conversion -------------------------------------------------------------------------------

@pytest.mark.parametrize("bias,prefix,mask_buffer", [
    (True, "", False),
    (False, "", False),
    (False, "_orig_mod.", False),  # torch.compile'd training run
    (True, "module.", True),  # DDP, old checkpoint with the causal-mask buffer
])
def test_converted_logits_match_nanogpt(tmp_path, tokenizer_dir, bias, prefix, mask_buffer):
    ckpt = tmp_path / "ckpt.pt"
    reference = save_nanogpt_ckpt(ckpt, model_args(bias), prefix, mask_buffer)
    model, tok = load_model(str(ckpt), tokenizer=str(tokenizer_dir[0]))
    ids = input_ids()
    with torch.no_grad():
        expected = reference(ids)[..., :TOKENIZER_SIZE]  # (B, T, V_real)
        got = model(ids).logits  # (B, T, V_real)
    assert got.shape == expected.shape
    assert torch.allclose(got, expected, atol=1e-5, rtol=0)
    assert model.config.vocab_size == TOKENIZER_SIZE  # padding rows sliced off
    assert model.config.n_positions == 64
    assert model.lm_head.weight.data_ptr() == model.transformer.wte.weight.data_ptr()  # still tied
    assert model.config.eos_token_id == tok.eos_token_id
    assert not model.training


def test_padded_vocab_kept_without_tokenizer(tmp_path):
    ckpt = tmp_path / "ckpt.pt"
    reference = save_nanogpt_ckpt(ckpt, model_args())
    model = convert_nanogpt(ckpt)
    assert model.config.vocab_size == PADDED_VOCAB
    with torch.no_grad():
        assert torch.allclose(model(input_ids()).logits, reference(input_ids()), atol=1e-5, rtol=0)


def test_dtype_and_bare_gpt2_bpe_tokenizer(tmp_path, tokenizer_dir):
    ckpt = tmp_path / "ckpt.pt"
    save_nanogpt_ckpt(ckpt, model_args())
    model, tok = load_model(str(ckpt), tokenizer=str(tokenizer_dir[1]), dtype="bfloat16")
    assert model.transformer.wte.weight.dtype == torch.bfloat16
    assert len(tok) == TOKENIZER_SIZE and tok.eos_token == EOS


def write_char_meta(data_dir):
    """meta.pkl as nanoGPT's data/shakespeare_char/prepare.py writes it, over the Java lines."""
    import pickle

    text = "\n".join(JAVA_LINES) + "\n"
    chars = sorted(set(text))
    meta = {"vocab_size": len(chars), "itos": dict(enumerate(chars)), "stoi": {c: i for i, c in enumerate(chars)}}
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "meta.pkl", "wb") as f:
        pickle.dump(meta, f)
    return text, meta


def test_char_level_meta_pkl_loads_with_an_added_eos(tmp_path, capsys):
    text, meta = write_char_meta(tmp_path / "data" / "java_char")
    vocab = meta["vocab_size"]
    ckpt = tmp_path / "ckpt.pt"
    reference = save_nanogpt_ckpt(ckpt, model_args(vocab_size=vocab))  # char-level runs keep the vocab unpadded
    for tokenizer in (tmp_path / "data" / "java_char" / "meta.pkl", tmp_path / "data" / "java_char"):
        model, tok = load_model(str(ckpt), tokenizer=str(tokenizer))
        ids = tok(text, add_special_tokens=False)["input_ids"]
        assert ids == [meta["stoi"][c] for c in text] and tok.decode(ids) == text
        assert (tok.eos_token, tok.eos_token_id, tok.pad_token_id, len(tok)) == ("<|endoftext|>", vocab, vocab, vocab + 1)
        assert tok("§", add_special_tokens=False)["input_ids"] == [vocab]  # outside the vocab: eos, not an error
        rows = model.transformer.wte.weight
        assert model.config.vocab_size == vocab + 1 and torch.allclose(rows[-1], rows[:-1].mean(0))
        with torch.no_grad():
            x = torch.tensor([ids[:32]])
            assert torch.allclose(model(x).logits[..., :vocab], reference(x), atol=1e-5, rtol=0)

    out = tmp_path / "hf"
    assert convert.main([str(ckpt), str(out), "--tokenizer", str(tmp_path / "data" / "java_char" / "meta.pkl")]) == 0
    capsys.readouterr()
    reloaded, tok = load_model(str(out))  # an HF dir with the eos row and tokenizer.json
    assert tok.decode(tok(text)["input_ids"]) == text and reloaded.config.vocab_size == vocab + 1
    with torch.no_grad():
        assert torch.equal(reloaded(x).logits, model(x).logits)


def test_openai_gpt2_file_names(tmp_path, tokenizer_dir):
    """encoder.json + vocab.bpe (OpenAI's GPT-2 release; tiktoken's "gpt2" reads them) load as vocab.json + merges.txt."""
    bare = tokenizer_dir[1]
    (tmp_path / "encoder.json").write_bytes((bare / "vocab.json").read_bytes())
    (tmp_path / "vocab.bpe").write_bytes((bare / "merges.txt").read_bytes())
    text = "\n".join(JAVA_LINES)
    assert load_tokenizer(tmp_path)(text)["input_ids"] == load_tokenizer(bare)(text)["input_ids"]


# --- tokenizer setup and HF dirs --------------------------------------------------------------

def test_prepare_tokenizer_sets_pad_and_left_padding(tokenizer_dir):
    tok = load_tokenizer(tokenizer_dir[0])
    assert tok.pad_token == tok.eos_token == EOS
    assert tok.padding_side == "left"
    batch = tok(["}", "return cur.key;"], padding=True)
    assert batch["input_ids"][0][0] == tok.pad_token_id  # the shorter prompt is padded on the left
    assert prepare_tokenizer(tok) is tok


def test_hf_dir_round_trip(tmp_path, tokenizer_dir):
    torch.manual_seed(0)
    saved = random_gpt2(n_layer=2, n_head=4, n_embd=32, n_positions=64, vocab_size=TOKENIZER_SIZE)
    saved.save_pretrained(tmp_path / "hf")
    load_tokenizer(tokenizer_dir[0]).save_pretrained(tmp_path / "hf")
    model, tok = load_model(str(tmp_path / "hf"))
    with torch.no_grad():
        assert torch.equal(model(input_ids()).logits, saved.eval()(input_ids()).logits)
    assert tok.padding_side == "left" and model.generation_config.pad_token_id == tok.pad_token_id


# --- errors: one clear message each -----------------------------------------------------------

def error_of(*args, **kwargs) -> str:
    with pytest.raises(ModelLoadError) as info:
        load_model(*args, **kwargs)
    return str(info.value)


def test_error_missing_path(tmp_path):
    assert "does not exist" in error_of(str(tmp_path / "nope"))
    assert "does not exist" in error_of("")


def test_error_dir_without_config(tmp_path):
    (tmp_path / "ckpt.pt").touch()
    message = error_of(str(tmp_path))
    assert "without config.json" in message and "ckpt.pt" in message


def test_error_ckpt_without_model_keys(tmp_path, tokenizer_dir):
    torch.save({"state_dict": {}, "step": 3}, tmp_path / "ckpt.pt")
    message = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tokenizer_dir[0]))
    assert "'model'" in message and "'model_args'" in message and "['state_dict', 'step']" in message


def test_error_state_dict_mismatch(tmp_path, tokenizer_dir):
    save_nanogpt_ckpt(tmp_path / "ckpt.pt", model_args())
    ckpt = torch.load(tmp_path / "ckpt.pt", weights_only=True)
    ckpt["model_args"]["n_layer"] = 3  # args say 3 layers, weights hold 2
    torch.save(ckpt, tmp_path / "ckpt.pt")
    message = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tokenizer_dir[0]))
    assert "missing ['transformer.h.2." in message


@pytest.mark.parametrize("edit, message", [
    (lambda c: c.update(model_args=list(c["model_args"].items())), "'model_args' and 'model' must be dicts"),
    (lambda c: c["model_args"].update(n_embd="64"), "n_embd='64': each must be a whole number >= 1"),
    (lambda c: c["model_args"].update(block_size=-1), "block_size=-1: each must be a whole number >= 1"),
    (lambda c: c["model_args"].update(n_head=3), "n_embd=32, n_head=3: each must be a whole number >= 1, and n_embd a multiple"),
    (lambda c: c.update(model=torch.zeros(3)), "'model_args' and 'model' must be dicts, got dict and Tensor"),
    (lambda c: c["model"].update({"transformer.wte.weight": [1.0]}), "'model' must map parameter names to tensors"),
], ids=["args_list", "args_str", "negative_block", "n_head_3", "model_tensor", "not_a_tensor"])
def test_error_malformed_nanogpt_checkpoint(tmp_path, tokenizer_dir, edit, message):
    """A ckpt.pt whose model_args or model has the wrong shape: one line naming the field, no traceback (bad-input pass)."""
    save_nanogpt_ckpt(tmp_path / "ckpt.pt", model_args())
    ckpt = torch.load(tmp_path / "ckpt.pt", weights_only=True)
    edit(ckpt)
    torch.save(ckpt, tmp_path / "ckpt.pt")
    error = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tokenizer_dir[0]))
    assert message in error and "\n" not in error, error


def test_error_empty_checkpoint_gives_a_reason(tmp_path, tokenizer_dir):
    (tmp_path / "ckpt.pt").touch()
    error = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tokenizer_dir[0]))
    assert not error.endswith(": ") and "\n" not in error, error


def test_error_nanochat_checkpoint(tmp_path, tokenizer_dir):
    state = {"transformer.wte.weight": torch.zeros(96, 32), "transformer.h.0.attn.c_q.weight": torch.zeros(32, 32)}
    torch.save({"model": state, "model_args": model_args()}, tmp_path / "ckpt.pt")
    message = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tokenizer_dir[0]))
    assert "unexpected ['transformer.h.0.attn.c_q.weight']" in message and "nanochat" in message


def test_error_tokenizer_larger_than_vocab(tmp_path, tokenizer_dir):
    save_nanogpt_ckpt(tmp_path / "ckpt.pt", model_args(vocab_size=64))
    message = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tokenizer_dir[0]))
    assert f"tokenizer has {TOKENIZER_SIZE} tokens but checkpoint" in message and "embeds 64" in message


@pytest.mark.parametrize("files", [{"tokenizer.json": "garbage"}, {"vocab.json": "{bad", "merges.txt": "#version: 0.2"},
                                   {"encoder.json": "{bad", "vocab.bpe": "#version: 0.2"}])
def test_error_unreadable_tokenizer_files(tmp_path, files):
    save_nanogpt_ckpt(tmp_path / "ckpt.pt", model_args())
    for name, text in files.items():
        (tmp_path / "tok").mkdir(exist_ok=True)
        (tmp_path / "tok" / name).write_text(text)
    message = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tmp_path / "tok"))
    assert message.startswith(f"cannot read the tokenizer files in {str(tmp_path / 'tok')!r}") and "\n" not in message


def test_error_meta_pkl_that_is_not_nanogpts(tmp_path):
    import pickle
    from pathlib import PurePosixPath

    save_nanogpt_ckpt(tmp_path / "ckpt.pt", model_args(vocab_size=8))
    for bad, expected in [({"stoi": {"ab": 0}}, "single characters"), ({"itos": {}}, "KeyError"),
                          ({"stoi": {"a": 0}, "path": PurePosixPath("x")}, "names a class")]:
        (tmp_path / "meta.pkl").write_bytes(pickle.dumps(bad))
        message = error_of(str(tmp_path / "ckpt.pt"), tokenizer=str(tmp_path / "meta.pkl"))
        assert "meta.pkl" in message and expected in message and "\n" not in message, message


def test_error_ckpt_without_tokenizer(tmp_path):
    save_nanogpt_ckpt(tmp_path / "ckpt.pt", model_args())
    assert "set model.tokenizer=DIR" in error_of(str(tmp_path / "ckpt.pt"))


def test_error_bad_dtype(tmp_path):
    assert "float32" in error_of(str(tmp_path), dtype="fp32")


# --- CLI ----------------------------------------------------------------------------------------

def test_convert_cli_round_trip(tmp_path, tokenizer_dir, capsys):
    ckpt, out = tmp_path / "ckpt.pt", tmp_path / "hf"
    reference = save_nanogpt_ckpt(ckpt, model_args(bias=False), prefix="_orig_mod.")
    assert convert.main([str(ckpt), str(out), "--tokenizer", str(tokenizer_dir[0])]) == 0
    printed = capsys.readouterr().out
    assert "n_positions 64" in printed and f"vocab {TOKENIZER_SIZE}" in printed and "M params" in printed
    model, tok = load_model(str(out))  # an HF dir now, tokenizer included
    with torch.no_grad():
        expected = reference(input_ids())[..., :TOKENIZER_SIZE]
        assert torch.allclose(model(input_ids()).logits, expected, atol=1e-5, rtol=0)
    assert len(tok) == TOKENIZER_SIZE

    assert convert.main([str(ckpt), str(out)]) == 2  # refuses to overwrite
    assert "already holds a model" in capsys.readouterr().err


def test_convert_cli_error_is_one_line(tmp_path, capsys):
    assert convert.main([str(tmp_path / "missing.pt"), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rlvr.convert: error:") and err.count("\n") == 1


# --- broken HF dirs and tokenizers (issue 13): one line naming the file and the problem ---------

@pytest.fixture()
def hf_dir(tmp_path, tokenizer_dir):
    torch.manual_seed(0)
    random_gpt2(n_layer=1, n_head=2, n_embd=32, n_positions=64, vocab_size=TOKENIZER_SIZE).save_pretrained(tmp_path / "hf")
    load_tokenizer(tokenizer_dir[0]).save_pretrained(tmp_path / "hf")
    return tmp_path / "hf"


def one_line_error(path, **kwargs) -> str:
    message = error_of(str(path), **kwargs)
    assert "\n" not in message
    return message


def test_error_weights_holding_nan(hf_dir):
    """Refused at load, not at the first sample with torch's "probability tensor contains inf, nan" traceback."""
    model = GPT2LMHeadModel.from_pretrained(hf_dir)
    with torch.no_grad():
        model.transformer.h[0].mlp.c_fc.weight[0, 0] = float("nan")
    model.save_pretrained(hf_dir)
    assert "'transformer.h.0.mlp.c_fc.weight' holds NaN or inf" in one_line_error(hf_dir)


def test_error_half_a_safetensors(hf_dir):
    weights = hf_dir / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    message = one_line_error(hf_dir)
    assert "model.safetensors" in message and "truncated" in message


def test_error_broken_config_json(hf_dir):
    text = (hf_dir / "config.json").read_text()
    (hf_dir / "config.json").write_text(text.replace('"n_embd": 32,', '"n_embd": 32'))
    message = one_line_error(hf_dir)
    assert "config.json" in message and "line " in message and "not valid JSON" in message


def test_error_no_weights(hf_dir):
    (hf_dir / "model.safetensors").unlink()
    message = one_line_error(hf_dir)
    assert "no weights" in message and "model.safetensors" in message


def test_error_n_embd_edited(hf_dir):
    text = (hf_dir / "config.json").read_text()
    (hf_dir / "config.json").write_text(text.replace('"n_embd": 32', '"n_embd": 64'))
    message = one_line_error(hf_dir)
    assert "do not fit config.json" in message and "shape mismatch" in message and "transformer.h.0" in message


def test_error_n_layer_edited(hf_dir):
    text = (hf_dir / "config.json").read_text()
    (hf_dir / "config.json").write_text(text.replace('"n_layer": 1', '"n_layer": 2'))
    assert "missing ['transformer.h.1." in one_line_error(hf_dir)


def test_error_tokenizer_smaller_than_model(tmp_path, tokenizer_dir):
    torch.manual_seed(0)
    random_gpt2(n_layer=1, n_head=2, n_embd=32, n_positions=64, vocab_size=300).save_pretrained(tmp_path / "hf")
    message = one_line_error(tmp_path / "hf", tokenizer=str(tokenizer_dir[0]))
    assert f"tokenizer has {TOKENIZER_SIZE} tokens" in message and "embeds 300 rows" in message


def test_padded_vocab_allowed(tmp_path, tokenizer_dir):
    """nanoGPT's 50,304 rows over GPT-2's 50,257 tokens is padding to a multiple of 64: allowed."""
    torch.manual_seed(0)
    random_gpt2(n_layer=1, n_head=2, n_embd=32, n_positions=64, vocab_size=128).save_pretrained(tmp_path / "hf")
    model, tok = load_model(str(tmp_path / "hf"), tokenizer=str(tokenizer_dir[0]))
    assert model.get_input_embeddings().num_embeddings == 128 and len(tok) == TOKENIZER_SIZE


@pytest.mark.parametrize("case", ["missing_ckpt", "ckpt_is_plain_dir", "out_is_file", "out_below_a_file",
                                  "missing_tokenizer"])
def test_convert_cli_checks_args(tmp_path, capsys, case):
    ckpt, out, tokenizer = tmp_path / "ckpt.pt", tmp_path / "out", []
    if case != "missing_ckpt":
        save_nanogpt_ckpt(ckpt, model_args())
    if case == "ckpt_is_plain_dir":
        ckpt = tmp_path
    if case == "out_is_file":
        out.write_text("x")
    if case == "out_below_a_file":
        out.write_text("x")
        out = out / "model"
    if case == "missing_tokenizer":
        tokenizer = ["--tokenizer", str(tmp_path / "nope")]
    assert convert.main([str(ckpt), str(out), *tokenizer]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rlvr.convert: error:") and err.count("\n") == 1 and "Traceback" not in err
