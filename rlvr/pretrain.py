"""Build the embedded default: a byte-level BPE tokenizer and a tiny GPT-2 trained from scratch.

    python -m rlvr.pretrain +exp=java_bst_tiny

The corpus comes from the task set's own build script, so corpus and prompts agree: a script
exposing `corpus_documents(variants_per_class, seed)` (data/java_gen) writes it itself (classes
holding train combinations only); otherwise it is generated from `data/<task>/classes/*.java`:
many variants of each class (a random subset of its methods, shuffled, with identifiers renamed).
Held-out (*eval*) methods never enter it. A plain nanoGPT-style loop (random windows of a token
stream, AdamW, warmup + cosine) for a fixed `pretrain.steps`, never a wall-clock budget, with
every source of randomness seeded: the same config builds the same model on any machine.

The result is cached: `outputs/pretrain/<run>/final/` with `pretrain.json` holding a fingerprint
of the config and corpus; a second call with the same fingerprint returns at once. A killed build
continues from its last periodic checkpoint with `resume=true`.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import random
import re
import sys
import time
from pathlib import Path

import hydra
import torch
from tqdm import tqdm

from rlvr.config import ConfigError, RunConfig, run_stage
from rlvr.runlog import RunLog

EOS = "<|endoftext|>"

# Renames a human would make; applied per variant with p=0.5 each, always consistently.
SYNONYMS = {
    "root": ["head", "top", "rootNode"], "key": ["k", "value", "target"], "node": ["n", "cur", "current"],
    "size": ["count", "n", "length"], "left": ["lo", "low"], "right": ["hi", "high"],
    "result": ["res", "out", "answer"], "list": ["items", "xs", "values"], "i": ["j", "k", "idx"],
    "arr": ["a", "array", "nums"], "s": ["str", "text", "input"], "count": ["total", "cnt"],
    "temp": ["tmp", "t"], "value": ["val", "v", "item"], "data": ["items", "elements", "store"],
    "matrix": ["m", "grid", "mat"], "capacity": ["cap", "maxSize"], "index": ["idx", "pos", "position"],
}


def _load_build_tasks(task_dir: Path):
    """The task set's own parser (data/<task>/build_tasks.py), so corpus and prompts agree."""
    if not (task_dir / "build_tasks.py").is_file():
        raise ConfigError(f"task.path: {task_dir} holds no build_tasks.py, which writes the pretraining corpus "
                          "(pretrain builds the embedded default from data/java_gen or data/java_bst)")
    spec = importlib.util.spec_from_file_location("build_tasks", task_dir / "build_tasks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def rename_identifiers(text: str, rng: random.Random) -> str:
    """Consistently rename some local identifiers (whole words only, never to a used name)."""
    used = set(re.findall(r"\b[A-Za-z_]\w*\b", text))
    for name, choices in SYNONYMS.items():
        if name in used and rng.random() < 0.5:
            new = rng.choice(choices)
            if new not in used:
                text = re.sub(rf"(?<![\w.\"]){name}\b(?!\()", new, text)
                used.add(new)
    return text


def build_corpus(task_dir: Path, variants_per_class: int, seed: int) -> list[str]:
    """Documents for pretraining; eval methods are never among them."""
    build_tasks = _load_build_tasks(task_dir)
    if hasattr(build_tasks, "corpus_documents"):  # a generated task family writes its own corpus
        return build_tasks.corpus_documents(variants_per_class, seed)
    rng = random.Random(seed)
    docs = []
    for path in sorted((task_dir / "classes").glob("*.java")):
        header, _, members = build_tasks.parse_class(path)
        fixed = [m for m in members if m.kind != "method"]
        methods = [m for m in members if m.kind == "method" and m.split != "eval"]
        for _ in range(variants_per_class):  # the class context, then 1-4 of its methods in random order
            chosen = rng.sample(methods, k=rng.randint(1, min(len(methods), 4))) if methods else []
            docs.append(rename_identifiers(build_tasks.render_class(header, fixed + chosen), rng))
    rng.shuffle(docs)
    return docs


def train_tokenizer(docs: list[str], vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=[EOS], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(docs, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=EOS, bos_token=EOS, pad_token=EOS)


def lr_at(step: int, total: int, warmup: int, peak: float) -> float:
    """Linear warmup, cosine decay to 10 % of peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def fingerprint(cfg: RunConfig, docs: list[str]) -> str:
    h = hashlib.sha256(json.dumps([vars(cfg.model), vars(cfg.pretrain), cfg.seed], sort_keys=True, default=str).encode())
    for d in docs:
        h.update(d.encode())
    return h.hexdigest()[:16]


def save_last(last_dir: Path, model, tokenizer, opt, state: dict) -> None:
    """checkpoints/last: an HF dir to look at, and train_state.pt (weights, optimizer, step, RNG) to
    resume from, written to a temp name and renamed, so a kill mid-save leaves the previous one whole."""
    model.save_pretrained(last_dir)
    tokenizer.save_pretrained(last_dir)
    tmp = last_dir / "train_state.pt.tmp"
    torch.save({**state, "model": model.state_dict(), "optimizer": opt.state_dict()}, tmp)
    tmp.replace(last_dir / "train_state.pt")


@torch.no_grad()
def eval_loss(model, data: torch.Tensor, block: int) -> float:
    """Mean loss over 8 batches of 8 windows from a fixed generator: the same windows at every eval."""
    model.eval()
    gen = torch.Generator().manual_seed(0)
    losses = []
    for _ in range(8):
        starts = torch.randint(0, len(data) - block - 1, (8,), generator=gen)
        x = torch.stack([data[s:s + block] for s in starts])
        losses.append(model(input_ids=x, labels=x).loss.item())
    model.train()
    return sum(losses) / len(losses)


def run(cfg: RunConfig) -> Path:
    """Build (or find cached) the tokenizer + model -> the final/ dir."""
    # 1. config
    pcfg, mcfg = cfg.pretrain, cfg.model
    cfg.check()
    pcfg.check(mcfg)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)  # weights, batch windows and position offsets
    random.seed(cfg.seed)
    task_dir = Path(cfg.task.path).parent
    final_dir = cfg.run_dir / "final"

    # 2. corpus, and the cache check
    docs = build_corpus(task_dir, pcfg.variants_per_class, cfg.seed)
    fp = fingerprint(cfg, docs)
    stamp = final_dir / "pretrain.json"
    try:  # a torn or edited stamp is no cache: the model is built again
        cached = json.loads(stamp.read_text()).get("fingerprint") if stamp.exists() else None
    except (ValueError, AttributeError):
        cached = None
    if cached == fp:
        print(f"pretrain: cached model at {final_dir} (fingerprint {fp}); nothing to do")
        return final_dir
    log = RunLog(cfg.run_dir, "pretrain", resume=True, config=cfg)  # a rebuild appends to the same history
    split = max(1, len(docs) // 50)
    val_docs, train_docs = docs[:split], docs[split:]

    # 3. tokenizer and token streams; resume=true continues checkpoints/last if it was built from
    # this same corpus and config
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    last_dir = cfg.run_dir / "checkpoints/last"
    state_path = last_dir / "train_state.pt"
    state = torch.load(state_path, weights_only=True) if cfg.resume and state_path.exists() else None
    if state is not None and state["fingerprint"] != fp:
        print(f"pretrain: ignoring {last_dir}: built from another corpus or config")
        state = None
    tokenizer = (PreTrainedTokenizerFast.from_pretrained(last_dir) if state is not None
                 else train_tokenizer(train_docs, pcfg.tokenizer_vocab))
    encode = lambda ds: torch.tensor([t for d in ds for t in tokenizer(d)["input_ids"] + [tokenizer.eos_token_id]])
    train_data, val_data = encode(train_docs), encode(val_docs)

    # 4. model
    model = GPT2LMHeadModel(GPT2Config(
        vocab_size=len(tokenizer), n_positions=mcfg.n_positions, n_embd=mcfg.n_embd,
        n_layer=mcfg.n_layer, n_head=mcfg.n_head, bos_token_id=tokenizer.eos_token_id,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.eos_token_id))
    if state is not None:
        model.load_state_dict(state["model"])
    block = min(pcfg.block_size, mcfg.n_positions)
    tokens_per_step = pcfg.batch_size * block
    n_params = sum(p.numel() for p in model.parameters())
    print(f"pretrain: {len(docs)} docs, {len(train_data):,} train tokens, vocab {len(tokenizer)}, "
          f"model {n_params / 1e6:.2f}M params, block {block}, {pcfg.steps} steps")

    # 5. train for a fixed number of steps
    opt = torch.optim.AdamW(model.parameters(), lr=pcfg.lr, weight_decay=0.1, betas=(0.9, 0.95))
    t0 = time.time()
    step = 0
    if state is not None:
        opt.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["rng"])
        step = state["step"]
        t0 -= state["seconds"]
        print(f"pretrain: resuming {last_dir} at step {step} ({state['seconds'] / 60:.1f} min spent)")
    log.truncate_after(step)  # rows past the checkpoint are redone; a fresh build starts a fresh history
    bar = tqdm(total=pcfg.steps, initial=step, desc="pretrain", unit="step")
    while step < pcfg.steps:
        lr = lr_at(step, pcfg.steps, pcfg.warmup_steps, pcfg.lr)
        for group in opt.param_groups:
            group["lr"] = lr
        starts = torch.randint(0, len(train_data) - block - 1, (pcfg.batch_size,))
        x = torch.stack([train_data[s:s + block] for s in starts])  # (B, T)
        # a window is a random slice of the stream anyway; a random position offset trains every
        # learned position (prompts + completions reach ~950) without paying for 1024-long attention
        offsets = torch.randint(0, mcfg.n_positions - block + 1, (pcfg.batch_size, 1))
        loss = model(input_ids=x, labels=x, position_ids=offsets + torch.arange(block)).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        bar.update(1)
        bar.set_postfix(loss=f"{loss.item():.3f}", refresh=False)
        if step % pcfg.eval_every == 0:
            tokens_per_s = step * tokens_per_step / (time.time() - t0)  # timed before the eval
            val = eval_loss(model, val_data, block)
            log.log(step, {"loss": loss.item(), "val_loss": val, "lr": lr, "tokens_per_s": tokens_per_s})
            save_last(last_dir, model, tokenizer, opt, {
                "fingerprint": fp, "step": step, "tokens": step * tokens_per_step,
                "seconds": time.time() - t0, "rng": torch.get_rng_state()})
    bar.close()
    val = eval_loss(model, val_data, block)
    minutes = (time.time() - t0) / 60
    if step % pcfg.eval_every:  # the loop logged no row for the last step
        log.log(step, {"loss": loss.item(), "val_loss": val, "tokens_per_s": step * tokens_per_step / (minutes * 60)})

    # 6. save (HF format) with the cache stamp written last, so a killed save is redone
    model.save_pretrained(final_dir)
    tokenizer.save_pretrained(final_dir)
    stamp.write_text(json.dumps({"fingerprint": fp, "steps": step, "minutes": round(minutes, 2),
                                 "val_loss": val, "params": n_params, "tokens": step * tokens_per_step}, indent=2))
    print(f"pretrain: {step} steps in {minutes:.1f} min, val loss {val:.3f} -> {final_dir}")
    return final_dir


@hydra.main(config_path="../conf", config_name="pretrain", version_base=None)
def main(dict_cfg) -> None:
    run_stage("pretrain", run, dict_cfg)


if __name__ == "__main__":
    main()
