"""nanochat checkpoints and tokenizers -> Hugging Face model + tokenizer, exactly.

    model = convert_nanochat("~/.cache/nanochat/base_checkpoints/d12")         # largest step
    model = convert_nanochat("base_checkpoints/d12/model_021400.pt")          # meta_021400.json beside it
    tokenizer = load_nanochat_tokenizer("~/.cache/nanochat/tokenizer/tokenizer.pkl")

nanochat's checkpoint manager writes `model_<step:06d>.pt` (the state dict, keys maybe prefixed
`_orig_mod.`) and `meta_<step:06d>.json` (`model_config`: sequence_len, vocab_size, n_layer, n_head,
n_kv_head, n_embd, and since 2026-01 window_pattern). The meta does not record the rotary base, the
q/k gain, the window formula or the ve-gate scale, which changed between revisions; the state dict's
keys tell the revision, and two are supported, read from github.com/karpathy/nanochat:

- "2025-10": 3a5e0bc (2025-10-13) .. dfc8833 (2025-10-30), unchanged in math through 2c4473d
  (2026-01-11; vocab padded to a multiple of 64 from f1bf69d). Rotary base 10,000 with cos/sin
  tables rounded to bf16, rotary then QK-norm, no q/k gain, full causal attention, softcap 15.
  Keys: transformer.wte, transformer.h.N.attn.c_{q,k,v,proj}, mlp.c_{fc,proj}, lm_head.
- "2026-03": a825e63 (2026-03-14) .. 92d63d4 (2026-07-03, current). Adds resid/x0 lambdas, value
  embeddings on alternating layers (last included) with a 3*sigmoid gate, q/k gain 1.2, rotary
  base 100,000 (tables in nanochat's compute dtype: fp32 here, as nanochat runs on CPU), sliding
  windows from window_pattern (S = ceil(sequence_len/4/128)*128, last layer always L), the smear
  gate and the middle-layer backout.
Checkpoints from between (2026-01-11 .. 2026-03-14: lambdas or value embeddings without the smear
gate) used other gate scales, q/k gains, rotary bases and window formulas that their keys cannot
tell apart; they are refused with the keys that identify them (nanochat's own current loader
cannot load them either). Transformers' `NanoChatForCausalLM` implements the 2025-10 layout but
computes rotary in fp32, so no nanochat revision is exactly that class; both revisions convert to
rlvr's NanoChatRlvrForCausalLM (rlvr/modeling_nanochat_rlvr.py), whose forward is nanochat's.

The tokenizer.pkl is a pickled tiktoken Encoding (name, pat_str, mergeable_ranks, special_tokens);
it is read without tiktoken and rebuilt as a byte-level BPE `tokenizers` model: vocab id = rank,
merges recovered from the ranks, the split regex as a pre-tokenizer, special tokens added. Text
is encoded as nanochat's `encode(text, prepend=bos)`: <|bos|> first (`add_special_tokens=False`
gives its `encode_ordinary`), since nanochat trains and evaluates every document after it.
"""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import torch
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, processors
from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast
from transformers.convert_slow_tokenizer import bytes_to_unicode  # GPT-2's byte -> char map, as ByteLevel uses

from rlvr.modeling_nanochat_rlvr import NanoChatRlvrConfig, NanoChatRlvrForCausalLM

# in-process Auto* (tokenizer loading reads config.json, TRL, from_pretrained) know the class
# without running the copy of it that save_pretrained writes into each dir
AutoConfig.register("nanochat_rlvr", NanoChatRlvrConfig, exist_ok=True)
AutoModelForCausalLM.register(NanoChatRlvrConfig, NanoChatRlvrForCausalLM, exist_ok=True)

STEP_FILE = re.compile(r"model_(\d+)\.pt$")
META_KEYS = ("sequence_len", "vocab_size", "n_layer", "n_head", "n_kv_head", "n_embd")
PAD_VOCAB_TO = 64  # nanochat's GPT(pad_vocab_size_to=64)
BOS = "<|bos|>"


def one_line(e: BaseException) -> str:
    """An exception's first line for a one-line error (torch's load errors run to paragraphs, some are empty)."""
    text = str(e).strip()
    return text.splitlines()[0][:300] if text else type(e).__name__


class ModelLoadError(ValueError):
    """A model or tokenizer path that cannot be loaded; the message says which file and what to do.
    Defined here, where nanochat's files are read, and raised by rlvr.models for every other kind."""


def is_nanochat_path(path: Path) -> bool:
    """A model_<step>.pt file, or a dir holding one (nanochat's checkpoint dir)."""
    if path.is_file():
        return bool(STEP_FILE.search(path.name))
    return path.is_dir() and any(STEP_FILE.search(p.name) for p in path.iterdir())


def checkpoint_files(path: Path) -> tuple[Path, Path]:
    """(model_<step>.pt, meta_<step>.json): the given file, or a dir's largest step."""
    if path.is_dir():
        steps = sorted((int(m.group(1)), p) for p in path.iterdir() if (m := STEP_FILE.search(p.name)))
        if not steps:
            raise ModelLoadError(f"{str(path)!r} holds no model_<step>.pt: not a nanochat checkpoint dir")
        path = steps[-1][1]
    meta = path.with_name(path.name.replace("model_", "meta_").replace(".pt", ".json"))
    if not meta.is_file():
        raise ModelLoadError(f"{str(path)!r} has no {meta.name} beside it: nanochat writes the model "
                             "config there; copy it next to the .pt")
    return path, meta


def read_checkpoint(path: str | Path) -> tuple[dict, dict, Path]:
    """(float32 state dict without `_orig_mod.`, model_config, the .pt path)."""
    pt, meta_path = checkpoint_files(Path(path))
    try:
        meta = json.loads(meta_path.read_text())
        model_config = dict(meta["model_config"])
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as e:
        raise ModelLoadError(f"{str(meta_path)!r}: not nanochat meta JSON with a 'model_config' ({e!r})") from None
    missing = [k for k in META_KEYS if type(model_config.get(k)) is not int or model_config[k] < 1]
    if missing:
        raise ModelLoadError(f"{str(meta_path)!r}: model_config needs {missing} as whole numbers >= 1 (has "
                             f"{ {k: model_config.get(k) for k in META_KEYS} })")
    try:
        state = torch.load(pt, map_location="cpu", weights_only=True)
    except Exception as e:  # pickle errors come in many types; all mean the same to the user
        raise ModelLoadError(f"cannot read {str(pt)!r} as a torch checkpoint: {one_line(e)}") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ModelLoadError(f"{str(pt)!r} is not a nanochat model file (a dict of tensors)")
    # nanochat keeps embeddings in bf16 on GPU; its own CPU path upcasts the same way
    state = {k.removeprefix("_orig_mod."): v.float() for k, v in state.items()}
    return state, model_config, pt


def detect_revision(state: dict, pt: Path) -> str:
    has = {name: name in state for name in ("resid_lambdas", "smear_gate.weight", "backout_lambda")}
    has_ve = any(k.startswith("value_embeds.") for k in state)
    if has["smear_gate.weight"] and has["backout_lambda"]:
        return "2026-03"
    if not (has["resid_lambdas"] or has_ve or has["smear_gate.weight"]):
        return "2025-10"
    found = [k for k, v in {**has, "value_embeds.*": has_ve}.items() if v]
    raise ModelLoadError(f"{str(pt)!r}: keys {found} without the smear gate/backout mark a nanochat revision "
                         "from 2026-01-11..2026-03-14, whose ve-gate scale, q/k gain, rotary base and window "
                         "formula its files do not record; supported: 2025-10 and >= a825e63 (2026-03-14). "
                         "Re-save it with that nanochat revision or fine-tune from a supported one")


def window_sizes(model_config: dict) -> list[int]:
    """nanochat >= a825e63 `_compute_window_sizes`, left windows only (right is always 0)."""
    pattern = str(model_config.get("window_pattern", "L")).upper()  # nanochat patches a missing one to "L"
    long_window = model_config["sequence_len"]
    short_window = -(-long_window // 4 // 128) * 128
    sizes = [long_window if pattern[i % len(pattern)] == "L" else short_window
             for i in range(model_config["n_layer"])]
    sizes[-1] = long_window
    return sizes


def hf_config(model_config: dict, revision: str, padded_vocab: int) -> NanoChatRlvrConfig:
    n_layer = model_config["n_layer"]
    common = dict(vocab_size=model_config["vocab_size"], padded_vocab_size=padded_vocab,
                  hidden_size=model_config["n_embd"], num_hidden_layers=n_layer,
                  num_attention_heads=model_config["n_head"], num_key_value_heads=model_config["n_kv_head"],
                  max_position_embeddings=model_config["sequence_len"], nanochat_revision=revision,
                  final_logit_softcapping=15.0, use_cache=True)
    if revision == "2025-10":
        return NanoChatRlvrConfig(rope_theta=10000.0, rotary_bf16=True, qk_gain=1.0, **common)
    return NanoChatRlvrConfig(
        rope_theta=100000.0, rotary_bf16=False, qk_gain=1.2, window_sizes=window_sizes(model_config),
        value_embed_layers=[i for i in range(n_layer) if i % 2 == (n_layer - 1) % 2], ve_gate_scale=3.0,
        lambdas=True, smear=True, backout=True, **common)


def convert_nanochat(path: str | Path) -> NanoChatRlvrForCausalLM:
    """nanochat checkpoint (dir or model_<step>.pt) -> NanoChatRlvrForCausalLM, float32, eval mode."""
    state, model_config, pt = read_checkpoint(path)
    revision = detect_revision(state, pt)
    if revision == "2026-03":
        # nanochat's own loader fills these for checkpoints saved before they existed
        state.setdefault("resid_lambdas", torch.ones(model_config["n_layer"]))
        state.setdefault("x0_lambdas", torch.zeros(model_config["n_layer"]))
    if "transformer.wte.weight" not in state:
        raise ModelLoadError(f"{str(pt)!r}: no transformer.wte.weight (keys: {sorted(state)[:6]} ...)")
    padded_vocab = state["transformer.wte.weight"].shape[0]
    vocab = model_config["vocab_size"]
    allowed = {vocab, -(-vocab // PAD_VOCAB_TO) * PAD_VOCAB_TO}
    if padded_vocab not in allowed:
        raise ModelLoadError(f"{str(pt)!r}: wte has {padded_vocab} rows but meta vocab_size is {vocab} "
                             f"(allowed: {sorted(allowed)}, nanochat pads to a multiple of {PAD_VOCAB_TO})")
    model = NanoChatRlvrForCausalLM(hf_config(model_config, revision, padded_vocab))
    # compared under the checkpoint's own names (no `model.` prefix), which errors then show
    target = {k.removeprefix("model."): v for k, v in model.state_dict().items()}
    if "lm_head.weight" in state:  # nanochat slices its logits to vocab_size: rows past it never reach an output
        state["lm_head.weight"] = state["lm_head.weight"][:vocab]
    missing, unexpected = sorted(target.keys() - state.keys()), sorted(state.keys() - target.keys())
    if missing or unexpected:
        raise ModelLoadError(f"{str(pt)!r}: state dict does not match nanochat revision {revision} with "
                             f"{model_config}: missing {missing[:4]}{' ...' if len(missing) > 4 else ''}, "
                             f"unexpected {unexpected[:4]}{' ...' if len(unexpected) > 4 else ''}")
    bad = [f"{k} {tuple(state[k].shape)} vs {tuple(target[k].shape)}" for k in target
           if state[k].shape != target[k].shape]
    if bad:
        raise ModelLoadError(f"{str(pt)!r}: tensor shapes disagree with its meta {model_config}: {bad[:3]}")
    model.load_state_dict({(k if k == "lm_head.weight" else "model." + k): v for k, v in state.items()})
    return model.eval()


class _Encoding:
    """Stands in for tiktoken.core.Encoding while unpickling: keeps the state it is given."""

    def __setstate__(self, state):
        self.state = state


class _TiktokenUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ("tiktoken.core", "Encoding"):
            return _Encoding
        raise pickle.UnpicklingError(f"unexpected class {module}.{name} (only tiktoken.core.Encoding is read)")


def read_tiktoken_pickle(path: Path) -> dict:
    """{name, pat_str, mergeable_ranks: {bytes: int}, special_tokens: {str: int}} from tokenizer.pkl."""
    try:
        with open(path, "rb") as f:
            enc = _TiktokenUnpickler(f).load()
        state = enc.state
        if not (isinstance(state["mergeable_ranks"], dict) and isinstance(state["special_tokens"], dict)
                and isinstance(state["pat_str"], str)):  # not assert: `python -O` would skip the check
            raise TypeError("mergeable_ranks / special_tokens / pat_str of the wrong type")
    except Exception as e:  # corrupt pickle, another class, a registry name instead of a dict
        raise ModelLoadError(f"{str(path)!r} is not nanochat's tokenizer.pkl (a pickled tiktoken Encoding "
                             f"with mergeable_ranks): {e!r}") from None
    return state


def tiktoken_to_tokenizers(state: dict) -> Tokenizer:
    """A byte-level BPE with tiktoken's ids and merge order, the split regex and special tokens."""
    ranks: dict[bytes, int] = state["mergeable_ranks"]
    byte_chars = bytes_to_unicode()
    as_text = lambda token: "".join(byte_chars[b] for b in token)  # noqa: E731
    vocab = {as_text(token): rank for token, rank in ranks.items()}
    merges = []
    for token, rank in ranks.items():
        # tiktoken merges any adjacent pair whose union is a token, lowest union rank first: every
        # split of this token into two older tokens is a merge, ranked by this token's rank
        merges += [(rank, ranks[token[:i]], as_text(token[:i]), as_text(token[i:])) for i in range(1, len(token))
                   if ranks.get(token[:i], rank) < rank and ranks.get(token[i:], rank) < rank]
    merges.sort()
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=[(a, b) for _, _, a, b in merges], ignore_merges=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(state["pat_str"]), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tokenizer.decoder = decoders.ByteLevel()
    for name, token_id in sorted(state["special_tokens"].items(), key=lambda kv: kv[1]):
        if token_id != tokenizer.get_vocab_size(with_added_tokens=True):
            raise ModelLoadError(f"special token {name!r} has id {token_id}, expected the next free id "
                                 f"{tokenizer.get_vocab_size(with_added_tokens=True)}")
        tokenizer.add_special_tokens([AddedToken(name, special=True, normalized=False)])
    return tokenizer


def load_nanochat_tokenizer(path: str | Path) -> PreTrainedTokenizerFast:
    """nanochat's tokenizer.pkl (or its dir) as a transformers tokenizer; bos = <|bos|>, which
    nanochat also puts between documents, so it is the eos/pad as well."""
    path = Path(path)
    if path.is_dir():
        path = path / "tokenizer.pkl"
    if not path.is_file():
        raise ModelLoadError(f"nanochat tokenizer {str(path)!r} does not exist (nanochat keeps it at "
                             "~/.cache/nanochat/tokenizer/tokenizer.pkl)")
    state = read_tiktoken_pickle(path)
    try:
        tokenizer = tiktoken_to_tokenizers(state)
    except Exception as e:  # str ranks where bytes belong, a split regex `tokenizers` cannot compile, ids out of order
        raise ModelLoadError(f"{str(path)!r}: not a tokenizer nanochat could have written: {one_line(e)}") from None
    bos = BOS if BOS in state["special_tokens"] else None
    if bos:  # nanochat trains and evaluates every document after <|bos|>: a prompt starts with it too
        tokenizer.post_processor = processors.TemplateProcessing(single=f"{BOS} $A", pair=f"{BOS} $A $B",
                                                                 special_tokens=[(BOS, state["special_tokens"][BOS])])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token=bos, eos_token=bos,
                                   name_or_path=str(path))
