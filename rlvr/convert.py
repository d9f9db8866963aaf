"""Convert a nanoGPT or nanochat checkpoint to a Hugging Face dir, once, so every tool can load it.

    python -m rlvr.convert out/ckpt.pt models/my_gpt2 --tokenizer gpt2_tokenizer/
    python -m rlvr.convert ~/.cache/nanochat/base_checkpoints/d12 models/d12 \
        --tokenizer ~/.cache/nanochat/tokenizer/tokenizer.pkl

writes `save_pretrained` output (config.json, model.safetensors, generation_config.json) plus the
tokenizer files, ready for `model.path=models/...`. nanoGPT becomes GPT2LMHeadModel (transformers,
TRL and vLLM load it); nanochat becomes rlvr's NanoChatRlvrForCausalLM, whose source is written into
the dir (`modeling_nanochat_rlvr.py`), so `AutoModelForCausalLM.from_pretrained(DIR,
trust_remote_code=True)` loads it without rlvr. A nanochat path is a checkpoint dir (largest step)
or a model_<step>.pt beside its meta_<step>.json. With --tokenizer a padded nanoGPT vocab is sliced
to the tokenizer's size; without it the checkpoint vocab is kept and the dir has no tokenizer (pass
model.tokenizer=DIR when loading it). What the conversions do, and why: rlvr/models.py,
rlvr/nanochat.py. Errors are one line and exit code 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from rlvr import nanochat
from rlvr.models import ModelLoadError, convert_nanogpt, load_model


def check_args(ckpt: Path, out_dir: Path, tokenizer: str | None) -> None:
    """Every argument, before anything is read: what exists, and is of the kind expected."""
    if not ckpt.exists():
        raise ModelLoadError(f"checkpoint {str(ckpt)!r} does not exist")
    if ckpt.is_dir() and not nanochat.is_nanochat_path(ckpt):
        raise ModelLoadError(f"{str(ckpt)!r} is a dir without model_<step>.pt: give a nanoGPT ckpt.pt, a nanochat "
                             "checkpoint dir or its model_<step>.pt")
    if out_dir.exists() and not out_dir.is_dir():
        raise ModelLoadError(f"out_dir {str(out_dir)!r} is a file, not a dir")
    above = next(p for p in out_dir.absolute().parents if p.exists())  # the root at least
    if not above.is_dir():
        raise ModelLoadError(f"out_dir {str(out_dir)!r} lies below {str(above)!r}, a file")
    if (out_dir / "config.json").exists():
        raise ModelLoadError(f"{str(out_dir)!r} already holds a model: remove it or pick another dir")
    if tokenizer is not None and not Path(tokenizer).exists():
        raise ModelLoadError(f"--tokenizer {tokenizer!r} does not exist")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rlvr.convert", description=__doc__.split("\n")[0])
    parser.add_argument("ckpt", help="nanoGPT ckpt.pt, or nanochat checkpoint dir / model_<step>.pt")
    parser.add_argument("out_dir", help="Hugging Face model dir to create")
    parser.add_argument("--tokenizer", help="dir with tokenizer.json, or vocab.json + merges.txt; nanochat: tokenizer.pkl")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # conversion is copying; more threads only contend on small machines

    ckpt, out_dir = Path(args.ckpt), Path(args.out_dir)
    is_nanochat = nanochat.is_nanochat_path(ckpt)
    try:
        check_args(ckpt, out_dir, args.tokenizer)
        if args.tokenizer:
            model, tokenizer = load_model(args.ckpt, tokenizer=args.tokenizer)
        elif is_nanochat:
            model, tokenizer = nanochat.convert_nanochat(ckpt), None
        else:
            model, tokenizer = convert_nanogpt(ckpt), None
    except ModelLoadError as e:
        print(f"rlvr.convert: error: {e}", file=sys.stderr)
        return 2

    try:
        model.save_pretrained(out_dir)
        if tokenizer is not None:
            tokenizer.save_pretrained(out_dir)
    except OSError as e:  # a read-only or full disk
        print(f"rlvr.convert: error: cannot write {e.filename or out_dir}: {e.strerror or e}", file=sys.stderr)
        return 2
    cfg = model.config
    n_params = sum(p.numel() for p in model.parameters())
    kind = (f"nanochat {cfg.nanochat_revision}, n_layer {cfg.num_hidden_layers}, n_head {cfg.num_attention_heads}, "
            f"n_kv_head {cfg.num_key_value_heads}, n_embd {cfg.hidden_size}, sequence_len {cfg.max_position_embeddings}, "
            f"vocab {cfg.vocab_size} (embeddings {cfg.padded_vocab_size} rows)" if is_nanochat else
            f"n_layer {cfg.n_layer}, n_head {cfg.n_head}, n_embd {cfg.n_embd}, n_positions {cfg.n_positions}, "
            f"vocab {cfg.vocab_size}")
    print(f"rlvr.convert: {args.ckpt} -> {out_dir}: {n_params / 1e6:.2f}M params, {kind}"
          + (f" (tokenizer {args.tokenizer})" if tokenizer is not None else
             " (no tokenizer: checkpoint vocab kept; load with model.tokenizer=DIR)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
