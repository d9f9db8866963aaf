"""Model loading: a Hugging Face dir, a nanoGPT or a nanochat checkpoint, through one function.

    model, tokenizer = load_model("outputs/sft/java_bst/final")                 # HF dir, own tokenizer
    model, tokenizer = load_model("out/ckpt.pt", tokenizer="gpt2_tokenizer/")   # nanoGPT, converted in memory
    model, tokenizer = load_model("base_checkpoints/d12", tokenizer="tokenizer/tokenizer.pkl")  # nanochat

nanochat checkpoints (model_<step>.pt + meta_<step>.json) convert to rlvr's own class, see
rlvr/nanochat.py; HF dirs of that class (model_type "nanochat_rlvr") load with it directly.

A nanoGPT `ckpt.pt` holds `model` (a state dict) and `model_args` (n_layer, n_head, n_embd,
block_size, bias, vocab_size, dropout). nanoGPT's GPT is GPT-2 with the same parameter names, so
conversion to `GPT2LMHeadModel` is a handful of layout fixes:
- its four projections (`attn.c_attn`, `attn.c_proj`, `mlp.c_fc`, `mlp.c_proj`) are nn.Linear,
  stored (out, in); HF GPT-2 uses Conv1D, stored (in, out): transpose;
- `torch.compile` and DDP prefix keys with `_orig_mod.` / `module.`: strip;
- old checkpoints carry the causal mask as `attn.bias` / `attn.masked_bias` buffers: drop;
- `bias=False` has no HF equivalent: zero biases are exactly equivalent at load, but they are
  trainable and move away from 0 during fine-tuning (freeze them to export back to nanoGPT);
- nanoGPT's nn.GELU is exact, HF's default `gelu_new` the tanh approximation: use "gelu";
- the vocab is padded for speed (50304 for GPT-2's 50257): rows past the tokenizer are never
  produced by it, so they are sliced off and the model can never sample them;
- `lm_head` is tied to `wte`; `n_positions = block_size`.
`python -m rlvr.convert` writes the converted model once as an HF dir.

Tokenizers load offline from a dir with HF tokenizer files (tokenizer.json) or GPT-2 BPE files
(vocab.json + merges.txt, or OpenAI's names for them, encoder.json + vocab.bpe, which tiktoken's
"gpt2" is read from), from nanochat's tokenizer.pkl, or from nanoGPT's char-level meta.pkl. That
one has no end-of-text token, which every stage needs to end and pad a completion: `<|endoftext|>`
is added after its last id, and the converted model gets a row for it, the mean of the others.
The tokenizer must fit the model's embedding rows (`check_vocab_fit`; nanoGPT: 50,304 rows over
GPT-2's 50,257; nanochat pads to 64).
HF dirs are checked before loading: config.json parses, a weights file exists and is complete, and
every tensor is present with its config's shape.
"""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import torch
from safetensors import SafetensorError, safe_open
from tokenizers import AddedToken, Regex, Tokenizer, decoders, pre_tokenizers
from tokenizers.models import WordLevel
from transformers import (AutoModelForCausalLM, AutoTokenizer, GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast,
                          PreTrainedTokenizerFast)

from rlvr import nanochat  # also registers NanoChatRlvrForCausalLM with AutoModelForCausalLM
from rlvr.nanochat import ModelLoadError

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
LINEAR_TO_CONV1D = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
MASK_BUFFERS = (".attn.bias", ".attn.masked_bias")  # causal masks, not parameters (not `c_attn.bias`)
WRAPPER_PREFIXES = ("_orig_mod.", "module.")  # torch.compile, DDP
REQUIRED_MODEL_ARGS = ("n_layer", "n_head", "n_embd", "block_size", "vocab_size")
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")
VOCAB_PAD_MULTIPLES = (64, 128)  # padded embedding rows that still fit a smaller tokenizer
CHAR_EOS = "<|endoftext|>"  # added to nanoGPT's char-level vocabulary, which has none


def gpt2_config(n_layer: int, n_head: int, n_embd: int, n_positions: int, vocab_size: int,
                dropout: float = 0.0, tie_word_embeddings: bool = True) -> GPT2Config:
    """GPT-2 config with nanoGPT's numerics (exact GELU). bos/eos are left unset (GPT-2's 50256
    would point outside small vocabs); load_model sets them from the tokenizer."""
    return GPT2Config(n_layer=n_layer, n_head=n_head, n_embd=n_embd, n_positions=n_positions,
                      vocab_size=vocab_size, activation_function="gelu", resid_pdrop=dropout,
                      embd_pdrop=dropout, attn_pdrop=dropout, tie_word_embeddings=tie_word_embeddings,
                      bos_token_id=None, eos_token_id=None)


def random_gpt2(n_layer: int, n_head: int, n_embd: int, n_positions: int, vocab_size: int) -> GPT2LMHeadModel:
    """A randomly initialised GPT-2 (benchmarks and tests; seed torch first for repeatability)."""
    return GPT2LMHeadModel(gpt2_config(n_layer, n_head, n_embd, n_positions, vocab_size))


def prepare_tokenizer(tokenizer):
    """The setup every stage needs: a pad token (eos when there is none) and left padding, so a
    batch of prompts ends where generation starts. Returns the same tokenizer."""
    if tokenizer.pad_token is None:
        if tokenizer.eos_token is None:
            raise ModelLoadError(f"tokenizer {tokenizer.name_or_path!r} has neither a pad nor an eos "
                                 "token: generation cannot pad or stop; add an eos token to it")
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    return tokenizer


def char_meta(path: str | Path) -> Path | None:
    """nanoGPT's char-level meta.pkl, if `path` is one or a dir holding one (and no other tokenizer files)."""
    path = Path(path)
    if path.is_dir() and not any((path / f).exists() for f in ("tokenizer.json", "vocab.json", "tokenizer.pkl")):
        path = path / "meta.pkl"
    return path if path.name == "meta.pkl" and path.is_file() else None


class _NoClasses(pickle.Unpickler):
    def find_class(self, module, name):  # meta.pkl is ints and strs in dicts: anything else is not it
        raise pickle.UnpicklingError(f"it names a class ({module}.{name})")


def load_char_tokenizer(meta_path: Path) -> PreTrainedTokenizerFast:
    """nanoGPT's meta.pkl ({vocab_size, stoi, itos}, written by data/shakespeare_char/prepare.py) as one
    token per character with nanoGPT's ids, plus CHAR_EOS after them. A character outside the vocab
    (nanoGPT's own sample.py raises KeyError) encodes as CHAR_EOS: the model never saw either."""
    try:
        with open(meta_path, "rb") as f:
            meta = _NoClasses(f).load()
        stoi = meta["stoi"]
        ok = all(isinstance(c, str) and len(c) == 1 for c in stoi) and sorted(stoi.values()) == list(range(len(stoi)))
    except Exception as e:  # pickle errors come in many types; all mean the same to the user
        raise ModelLoadError(f"cannot read {str(meta_path)!r} as nanoGPT's char-level meta.pkl: {e!r}") from None
    if not ok or meta.get("vocab_size", len(stoi)) != len(stoi):
        raise ModelLoadError(f"{str(meta_path)!r}: 'stoi' must map single characters to the ids 0..vocab_size-1")
    tokenizer = Tokenizer(WordLevel(vocab={**stoi, CHAR_EOS: len(stoi)}, unk_token=CHAR_EOS))
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")  # every character
    tokenizer.decoder = decoders.Fuse()  # ''.join, as nanoGPT decodes
    tokenizer.add_special_tokens([AddedToken(CHAR_EOS, special=True, normalized=False)])
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=CHAR_EOS, name_or_path=str(meta_path))


def with_eos_row(model):
    """The model with one more embedding row (and lm_head row), CHAR_EOS's: the mean of the others."""
    inputs, outputs = model.get_input_embeddings().weight.detach(), model.get_output_embeddings().weight.detach()
    input_mean, output_mean = inputs.mean(0), outputs.mean(0)
    model.resize_token_embeddings(inputs.shape[0] + 1, mean_resizing=False)
    with torch.no_grad():
        model.get_input_embeddings().weight[-1] = input_mean
        model.get_output_embeddings().weight[-1] = output_mean  # the same tensor when tied
    return model


def load_tokenizer(path: str | Path):
    """Tokenizer from a dir, offline, prepared: HF files (tokenizer.json / tokenizer_config.json),
    bare GPT-2 BPE files (vocab.json + merges.txt or encoder.json + vocab.bpe, as nanoGPT users keep
    them), nanochat's tokenizer.pkl or nanoGPT's char-level meta.pkl."""
    path = Path(path)
    if meta := char_meta(path):
        return prepare_tokenizer(load_char_tokenizer(meta))
    if path.suffix == ".pkl" or (path / "tokenizer.pkl").is_file():
        return prepare_tokenizer(nanochat.load_nanochat_tokenizer(path))
    if not path.is_dir():
        raise ModelLoadError(f"tokenizer dir {str(path)!r} does not exist: set model.tokenizer=DIR "
                             "(a dir with tokenizer.json, or vocab.json + merges.txt), or a file: nanochat's "
                             "tokenizer.pkl, nanoGPT's meta.pkl")
    has = lambda *names: all((path / name).exists() for name in names)  # noqa: E731
    if not (has("tokenizer.json") or has("tokenizer_config.json") or has("vocab.json", "merges.txt")
            or has("encoder.json", "vocab.bpe")):
        found = sorted(p.name for p in path.iterdir())[:8]
        raise ModelLoadError(f"{str(path)!r} holds no tokenizer files (found {found}): it needs "
                             "tokenizer.json, vocab.json + merges.txt, encoder.json + vocab.bpe or meta.pkl")
    try:
        if has("tokenizer.json") or has("tokenizer_config.json"):
            tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        elif has("vocab.json", "merges.txt"):  # AutoTokenizer cannot infer a class from these two files alone
            tokenizer = GPT2TokenizerFast.from_pretrained(path, local_files_only=True)
        else:
            merges = (path / "vocab.bpe").read_text(encoding="utf-8").splitlines()
            tokenizer = GPT2TokenizerFast(vocab=json.loads((path / "encoder.json").read_text(encoding="utf-8")),
                                          merges=[tuple(m.split(" ")) for m in merges if m and not m.startswith("#")],
                                          name_or_path=str(path))
    except Exception as e:  # transformers, tokenizers and json raise many types for a file they cannot read
        raise ModelLoadError(f"cannot read the tokenizer files in {str(path)!r}: {nanochat.one_line(e)}") from None
    return prepare_tokenizer(tokenizer)


def _read_nanogpt_checkpoint(path: Path) -> tuple[dict, dict]:
    """(state dict with wrapper prefixes stripped and mask buffers dropped, model_args)."""
    try:
        # weights_only: a checkpoint is untrusted input; nanoGPT's extras (config dict, iter_num,
        # best_val_loss, optimizer state) are plain containers and tensors, which it allows.
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # pickle errors come in many types; all mean the same to the user
        raise ModelLoadError(f"cannot read {str(path)!r} as a torch checkpoint: {nanochat.one_line(e)}") from None
    if not isinstance(ckpt, dict) or "model" not in ckpt or "model_args" not in ckpt:
        found = sorted(map(str, ckpt))[:8] if isinstance(ckpt, dict) else type(ckpt).__name__
        raise ModelLoadError(f"{str(path)!r} is not a nanoGPT checkpoint: expected keys 'model' and "
                             f"'model_args', found {found}")
    args, weights = ckpt["model_args"], ckpt["model"]
    if not isinstance(args, dict) or not isinstance(weights, dict):
        raise ModelLoadError(f"{str(path)!r}: 'model_args' and 'model' must be dicts, got "
                             f"{type(args).__name__} and {type(weights).__name__}")
    missing = [k for k in REQUIRED_MODEL_ARGS if k not in args]
    if missing:
        raise ModelLoadError(f"{str(path)!r}: model_args lacks {missing} (has {sorted(map(str, args))})")
    bad = [f"{k}={args[k]!r}" for k in REQUIRED_MODEL_ARGS if type(args[k]) is not int or args[k] < 1]
    if bad or args["n_embd"] % args["n_head"]:
        shown = ", ".join(bad) or f"n_embd={args['n_embd']}, n_head={args['n_head']}"
        raise ModelLoadError(f"{str(path)!r}: model_args {shown}: each must be a whole number >= 1, "
                             "and n_embd a multiple of n_head")
    if not all(isinstance(t, torch.Tensor) for t in weights.values()):
        raise ModelLoadError(f"{str(path)!r}: 'model' must map parameter names to tensors")
    state = {}
    for key, tensor in weights.items():
        for prefix in WRAPPER_PREFIXES:
            key = key.removeprefix(prefix)
        if not key.endswith(MASK_BUFFERS):
            state[key] = tensor
    return state, args


def _check_keys(path: Path, state: dict, args: dict) -> None:
    per_layer = [f"{m}.{p}" for m in ("ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj")
                 for p in ("weight", "bias")]
    expected = {"transformer.wte.weight", "transformer.wpe.weight", "transformer.ln_f.weight", "transformer.ln_f.bias",
                *(f"transformer.h.{i}.{key}" for i in range(args["n_layer"]) for key in per_layer)}
    required = expected if args.get("bias", True) else {k for k in expected if not k.endswith(".bias")}
    missing = sorted(required - state.keys())
    unexpected = sorted(state.keys() - expected - {"lm_head.weight"})
    if not (missing or unexpected):
        return
    hint = ""
    if any(re.search(r"attn\.c_[qkv]\.", k) for k in unexpected):
        hint = (" This looks like a nanochat checkpoint (separate q/k/v, rotary positions): its "
                "architecture is not GPT-2 and cannot be converted to GPT2LMHeadModel.")
    raise ModelLoadError(f"{str(path)!r}: state dict does not match a nanoGPT GPT with "
                         f"n_layer={args['n_layer']}, bias={args.get('bias', True)}: missing {missing[:4]}"
                         f"{' ...' if len(missing) > 4 else ''}, unexpected {unexpected[:4]}"
                         f"{' ...' if len(unexpected) > 4 else ''}.{hint}")


def convert_nanogpt(ckpt_path: str | Path, tokenizer_size: int | None = None) -> GPT2LMHeadModel:
    """nanoGPT `ckpt.pt` -> GPT2LMHeadModel (float32, eval mode), see the module docstring.

    `tokenizer_size` (len(tokenizer)) slices a padded vocab to the tokenizer's real size; a
    tokenizer that does not fit the checkpoint's vocab (check_vocab_fit) is the wrong one and raises."""
    path = Path(ckpt_path)
    state, args = _read_nanogpt_checkpoint(path)
    _check_keys(path, state, args)
    wte = state["transformer.wte.weight"]  # (V_ckpt, C)
    lm_head = state.pop("lm_head.weight", wte)
    if tokenizer_size is not None:
        check_vocab_fit(tokenizer_size, wte.shape[0], f"checkpoint {str(path)!r}")
    vocab = tokenizer_size or wte.shape[0]  # rows past the tokenizer are padding
    tied = lm_head is wte or torch.equal(lm_head, wte)
    config = gpt2_config(args["n_layer"], args["n_head"], args["n_embd"], args["block_size"], vocab,
                         dropout=args.get("dropout", 0.0), tie_word_embeddings=tied)
    model = GPT2LMHeadModel(config)
    target = model.state_dict()

    state["transformer.wte.weight"] = wte[:vocab]
    state["lm_head.weight"] = lm_head[:vocab]  # with tying, the same tensor loaded twice
    for key, tensor in list(state.items()):
        if key.endswith(LINEAR_TO_CONV1D):
            state[key] = tensor.t()  # Linear (out, in) -> Conv1D (in, out)
    for key in target.keys() - state.keys():  # only biases are left (bias=False): zeros are exact
        state[key] = torch.zeros_like(target[key])
    bad_shapes = [f"{k} {tuple(state[k].shape)} vs {tuple(target[k].shape)}"
                  for k in target if state[k].shape != target[k].shape]
    if bad_shapes:
        raise ModelLoadError(f"{str(path)!r}: tensor shapes disagree with its model_args {args}: "
                             f"{bad_shapes[:3]}")
    model.load_state_dict(state)  # copies into the float32 parameters, whatever the ckpt dtype
    return model.eval()


def context_length(model) -> int:
    """Positions the model can attend over: GPT-2 calls it n_positions, most others max_position_embeddings."""
    return getattr(model.config, "n_positions", None) or model.config.max_position_embeddings


def check_vocab_fit(n_tokens: int, n_rows: int, where: str) -> None:
    """A tokenizer fits a model whose embedding has its size in rows, or that size padded up to a
    multiple of 64 or 128 (ids past the tokenizer are never produced by it)."""
    padded = {-(-n_tokens // m) * m for m in VOCAB_PAD_MULTIPLES}
    if n_rows != n_tokens and n_rows not in padded:
        raise ModelLoadError(f"tokenizer has {n_tokens} tokens but {where} embeds {n_rows} rows "
                             f"(allowed: {n_tokens}, or padded to {sorted(padded)}): wrong tokenizer? "
                             "set model.tokenizer=DIR to the one it was trained with")


def check_safetensors(file: Path) -> None:
    """A truncated, padded or garbled .safetensors file raises, naming it (safetensors checks that its
    header parses and that the tensors it describes cover the file exactly)."""
    try:
        with safe_open(file, "pt"):
            pass
    except SafetensorError as e:
        raise ModelLoadError(f"{str(file)!r} is truncated, padded or garbled ({e}): re-save or re-copy it") from None


def check_hf_dir(model_path: Path) -> None:
    """config.json parses, weight files are present and complete."""
    config_file = model_path / "config.json"
    try:
        config = json.loads(config_file.read_text())
    except json.JSONDecodeError as e:
        raise ModelLoadError(f"{str(config_file)!r} line {e.lineno}: not valid JSON ({e.msg})") from None
    except UnicodeDecodeError:
        raise ModelLoadError(f"{str(config_file)!r} is not UTF-8 text") from None
    if not isinstance(config, dict) or not isinstance(config.get("model_type"), str):
        raise ModelLoadError(f"{str(config_file)!r} has no \"model_type\": not a transformers config")
    weights = [f for f in WEIGHT_FILES if (model_path / f).is_file()]
    if not weights:
        found = sorted(p.name for p in model_path.iterdir())[:8]
        raise ModelLoadError(f"{str(model_path)!r} has config.json but no weights ({' / '.join(WEIGHT_FILES)}); "
                             f"found {found}")
    if weights[0] == "model.safetensors":
        check_safetensors(model_path / "model.safetensors")
    elif weights[0] == "model.safetensors.index.json":
        try:
            shards = set(json.loads((model_path / weights[0]).read_text())["weight_map"].values())
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as e:
            raise ModelLoadError(f"{str(model_path / weights[0])!r}: no readable weight_map ({e!r})") from None
        for shard in sorted(shards):
            if not (model_path / shard).is_file():
                raise ModelLoadError(f"{str(model_path / weights[0])!r} names shard {shard!r}, which is missing")
            check_safetensors(model_path / shard)


def load_hf_dir(model_path: Path, dtype: str):
    """The model of an HF dir that passed check_hf_dir; every tensor must be in the weights with
    its config's shape."""
    try:
        model, info = AutoModelForCausalLM.from_pretrained(model_path, dtype=DTYPES[dtype], local_files_only=True,
                                          ignore_mismatched_sizes=True, output_loading_info=True)
    except Exception as e:  # transformers raises many types for a config it cannot build
        raise ModelLoadError(f"{str(model_path / 'config.json')!r}: transformers cannot build the model: "
                             f"{nanochat.one_line(e)}") from None
    mismatched = sorted(key for key, _, _ in info["mismatched_keys"])
    missing = sorted(info["missing_keys"])
    problems = [f"{what} {keys[:3]}" for what, keys in (("shape mismatch", mismatched), ("missing", missing)) if keys]
    if problems:
        raise ModelLoadError(f"{str(model_path)!r}: weights do not fit config.json: {' '.join(problems)}"
                             " (was config.json edited? restore it from the run that saved the weights)")
    return model


def load_model(path: str, tokenizer: str | None = None, dtype: str = "float32", device: str = "cpu"):
    """(model, tokenizer) from a Hugging Face model dir, a nanoGPT ckpt.pt or a nanochat checkpoint
    (dir or model_<step>.pt), offline.

    An HF dir uses its own tokenizer files, or `tokenizer` when it has none; a checkpoint needs
    `tokenizer`. The tokenizer is prepared (pad token, left padding), the model's bos/eos/pad ids
    are set from it, and the model is returned in eval mode on `device` in `dtype`."""
    if dtype not in DTYPES:
        raise ModelLoadError(f"model.dtype={dtype!r} is not one of {sorted(DTYPES)}")
    model_path = Path(path)
    if not path or not model_path.exists():
        raise ModelLoadError(f"model path {path!r} does not exist: set model.path to a Hugging Face "
                             "model dir, a nanoGPT ckpt.pt or a nanochat checkpoint dir")
    if nanochat.is_nanochat_path(model_path) and not (model_path / "config.json").exists():
        if tokenizer is None:
            raise ModelLoadError(f"{path!r} is a nanochat checkpoint, which carries no tokenizer: set "
                                 "model.tokenizer=PATH/tokenizer.pkl (nanochat: ~/.cache/nanochat/tokenizer)")
        tok = load_tokenizer(tokenizer)
        model = nanochat.convert_nanochat(model_path).to(DTYPES[dtype])
    elif model_path.is_dir():
        if not (model_path / "config.json").exists():
            hint = (f" It holds a ckpt.pt: pass model.path={model_path / 'ckpt.pt'}"
                    if (model_path / "ckpt.pt").exists() else "")
            raise ModelLoadError(f"{path!r} is a dir without config.json, so not a Hugging Face "
                                 f"model dir.{hint}")
        has_own = any((model_path / f).exists() for f in ("tokenizer.json", "tokenizer_config.json", "vocab.json"))
        if not has_own and tokenizer is None:
            raise ModelLoadError(f"{path!r} has no tokenizer files: set model.tokenizer=DIR")
        check_hf_dir(model_path)  # before the tokenizer, which reads config.json too
        tok = load_tokenizer(model_path if has_own else tokenizer)
        model = load_hf_dir(model_path, dtype)
    else:
        if tokenizer is None:
            raise ModelLoadError(f"{path!r} is a nanoGPT checkpoint, which carries no tokenizer: set model.tokenizer="
                                 "DIR (tokenizer.json, or vocab.json + merges.txt) or the dataset's char-level meta.pkl")
        tok = load_tokenizer(tokenizer)
        char_level = char_meta(tokenizer) is not None  # its CHAR_EOS has no row in the checkpoint yet
        model = convert_nanogpt(model_path, tokenizer_size=len(tok) - char_level)
        model = (with_eos_row(model) if char_level else model).to(DTYPES[dtype])
    check_vocab_fit(len(tok), model.get_input_embeddings().num_embeddings, f"model {path!r}")
    broken = next((name for name, p in model.named_parameters() if not torch.isfinite(p).all()), None)
    if broken:  # sampling would stop on it with torch's "probability tensor contains inf/nan"
        raise ModelLoadError(f"{path!r}: weight {broken!r} holds NaN or inf: the run that saved it diverged "
                             "(resume from an earlier checkpoint)")
    for name in ("bos_token_id", "eos_token_id", "pad_token_id"):
        for config in (model.config, model.generation_config):
            if getattr(config, name) is None:
                setattr(config, name, getattr(tok, name))
    return model.to(device).eval(), tok
