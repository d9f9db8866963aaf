"""Convert a nanoGPT checkpoint to a Hugging Face GPT-2 dir, once, so every tool can load it.

    python -m rlvr.convert out/ckpt.pt models/my_gpt2 --tokenizer gpt2_tokenizer/

writes `save_pretrained` output (config.json, model.safetensors, generation_config.json) plus the
tokenizer files, ready for `model.path=models/my_gpt2`, transformers, TRL and vLLM. With
--tokenizer the padded vocab is sliced to the tokenizer's size; without it the full checkpoint
vocab is kept and the dir has no tokenizer (pass model.tokenizer=DIR when loading it). What the
conversion does, and why, is in rlvr/models.py. Errors are one line and exit code 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from rlvr.models import ModelLoadError, convert_nanogpt, load_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rlvr.convert", description=__doc__.split("\n")[0])
    parser.add_argument("ckpt", help="nanoGPT ckpt.pt (holds 'model' and 'model_args')")
    parser.add_argument("out_dir", help="Hugging Face model dir to create")
    parser.add_argument("--tokenizer", help="dir with tokenizer.json, or vocab.json + merges.txt")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # conversion is copying; more threads only contend on small machines

    out_dir = Path(args.out_dir)
    try:
        if (out_dir / "config.json").exists():
            raise ModelLoadError(f"{str(out_dir)!r} already holds a model: remove it or pick another dir")
        if not Path(args.ckpt).is_file():
            raise ModelLoadError(f"checkpoint {args.ckpt!r} is not a file")
        if args.tokenizer:
            model, tokenizer = load_model(args.ckpt, tokenizer=args.tokenizer)
        else:
            model, tokenizer = convert_nanogpt(args.ckpt), None
    except ModelLoadError as e:
        print(f"rlvr.convert: error: {e}", file=sys.stderr)
        return 2

    model.save_pretrained(out_dir)
    if tokenizer is not None:
        tokenizer.save_pretrained(out_dir)
    cfg = model.config
    n_params = sum(p.numel() for p in model.parameters())
    print(f"rlvr.convert: {args.ckpt} -> {out_dir}: {n_params / 1e6:.2f}M params, n_layer {cfg.n_layer}, "
          f"n_head {cfg.n_head}, n_embd {cfg.n_embd}, n_positions {cfg.n_positions}, vocab {cfg.vocab_size}"
          + (f" (tokenizer {args.tokenizer})" if tokenizer is not None else
             " (no tokenizer: checkpoint vocab kept; load with model.tokenizer=DIR)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
