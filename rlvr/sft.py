"""Rejection-sampled SFT (expert iteration / ReST): be right once in k tries, learn from it.

    python -m rlvr.sft +exp=java_bst_tiny
    python -m rlvr.sft +exp=java_bst model.path=/path/to/gpt2-124m sft.rounds=5 sft.k=16
    python -m rlvr.sft +exp=java_bst_tiny resume=true   # continue a killed run exactly

Each round: roll out k completions per train prompt (`rlvr.rollout`), keep those with reward >=
sft.min_reward (never a trivial body; deduplicated, at most sft.max_per_prompt per prompt), fine-tune
with TRL's SFTTrainer on prompt -> completion up to the method's close, evaluate the held-out split
(greedy and sampled), repeat. The threshold is decided per round: if a round accepts nothing at
sft.min_reward it retries at sft.fallback_min_reward, for that round only.

Replay vs restart (sft.from_base): by default each round continues from the last round's weights
and trains on every round's accepted rows so far (replay, deduplicated), so a prompt solved once
stays taught; sft.from_base=true fine-tunes the base model on this round's rows only (ReST-EM).
Measured on a weak tiny model (java_bst pretrain step 500, 12 train prompts, 2 rounds, k=6):
a tie, pass@1 0.000 both, sampled compile rate 0.167 replay vs 0.188 restart on 12 prompts
(noise). Replay stays the default until the java_gen default measures a difference.

Outputs (run dir): accepted.jsonl (every accepted row with its round), metrics.jsonl (one row per
round; step 0 is the model before training), samples.jsonl (audit rows with loss, tier,
memorised), checkpoints/round_<r>/ (weights, rng.pt, round.json written last) and final/.
`resume=true` continues after the last finished round with its weights and RNG state restored
(not reseeded): every step and accepted row appears once and the result equals an unkilled run.
A run killed before any round finished starts over from the seed.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import hydra
import numpy as np
import torch
from tqdm import tqdm

from rlvr.benchmarks import check_canonical, shipped_with_rlvr
from rlvr.config import ConfigError, RunConfig, SFTConfig, check_common, resolve_device, run_stage
from rlvr.degeneration import is_trivial_body
from rlvr.models import context_length
from rlvr.rollout import Rollout, audit_rows, evaluate, flat_eval, normalise, roll_out, summarise, training_text
from rlvr.runlog import RunLog, refuse_existing, read_jsonl
from rlvr.tasks import completion_end, load_tasks
from rlvr.verifier.verdict import REWARD_SHAPES, Outcome, reward


def check_config(cfg: RunConfig) -> None:
    """Every value SFT reads, before any model, JVM or file is touched."""
    check_common(cfg)
    cfg.sft.check()
    cfg.eval.check()
    if cfg.verifier.reward in REWARD_SHAPES:  # (an unknown shape is the verifier check's to name)
        best = reward(Outcome("pass", True, 1, 1, "", 0.0), cfg.verifier.reward)  # what a passing program earns
        if cfg.sft.min_reward > best:
            raise ConfigError(f"sft.min_reward={cfg.sft.min_reward} is above what verifier.reward={cfg.verifier.reward} "
                              f"gives a pass ({best}): no sample could be accepted")
    if cfg.sampling.temperature <= 0 and cfg.sft.k > 1:
        raise ConfigError("sft.k > 1 with greedy sampling gives k copies of one completion: use sampling=default")


def select_accepted(rollouts: list[list[Rollout]], min_reward: float, max_per_prompt: int) -> list[dict]:
    """Rollouts at or above min_reward, never a trivial body, deduplicated per prompt, best reward
    first, at most max_per_prompt each. A row's completion is what is trained on: the text up to
    the method's close (what follows it is never trained on)."""
    accepted = []
    for row in rollouts:
        seen = set()
        for r in sorted(row, key=lambda r: -r.verdict.reward if r.verdict.reward == r.verdict.reward else 0):
            end = completion_end(r.task, r.sample.completion)
            text = r.sample.completion[:end]
            key = normalise(text)
            # a trivial body compiles (reward 1) and teaches the model to game the reward
            if (r.verdict.status == "sandbox_error" or r.verdict.reward < min_reward or end is None
                    or key in seen or is_trivial_body(text)):
                continue
            seen.add(key)
            accepted.append({"task_id": r.task.id, "prompt": r.task.prompt, "completion": text,
                             "reward": r.verdict.reward, "status": r.verdict.status, "n_tokens": r.sample.n_tokens})
            if len(seen) >= max_per_prompt:
                break
    return accepted


def accept_round(rollouts: list[list[Rollout]], sft: SFTConfig) -> tuple[list[dict], float]:
    """(accepted rows, the threshold this round used): sft.min_reward, or the fallback if that
    accepts nothing. Decided afresh every round, so one weak round never lowers the bar for good."""
    accepted = select_accepted(rollouts, sft.min_reward, sft.max_per_prompt)
    if not accepted and sft.fallback_min_reward is not None:  # (SFTConfig.check: never above min_reward)
        return select_accepted(rollouts, sft.fallback_min_reward, sft.max_per_prompt), sft.fallback_min_reward
    return accepted, sft.min_reward


def unique_rows(rows: list[dict]) -> list[dict]:
    """Rows of every round so far, each (prompt, completion) once, first occurrence kept."""
    seen, out = set(), []
    for r in rows:
        key = (r["task_id"], normalise(r["completion"]))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def finished_rounds(run_dir: Path) -> int:
    """The last round whose checkpoint was completely written (0 if none)."""
    done = [int(p.parent.name.split("_")[1]) for p in run_dir.glob("checkpoints/round_*/round.json")]
    return max(done, default=0)


def rng_state() -> dict:
    state = {"torch": torch.get_rng_state(), "python": random.getstate(), "numpy": np.random.get_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def fits(tokenizer, rows: list[dict], max_length: int) -> tuple[list[dict], int]:
    """Rows whose prompt + completion + EOS fit in max_length tokens, and how many did not."""
    kept = [r for r in rows if len(tokenizer(r["prompt"] + r["completion"])["input_ids"]) + 1 <= max_length]
    return kept, len(rows) - len(kept)


def fine_tune(model, tokenizer, rows: list[dict], cfg: RunConfig, device: str, out_dir: Path) -> float:
    """One SFTTrainer pass over prompt->completion rows; returns the mean train loss."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    max_length = cfg.sft.max_length or context_length(model)
    rows, dropped = fits(tokenizer, rows, max_length)
    if dropped:  # TRL would cut them at the end, i.e. train on a prefix of the completion (or none of it)
        print(f"sft: {dropped} accepted row(s) longer than {max_length} tokens left out of training")
    if not rows:
        raise ConfigError(f"sft: no accepted row fits sft.max_length={max_length} tokens: raise sft.max_length")
    args = SFTConfig(
        output_dir=str(out_dir), num_train_epochs=cfg.sft.epochs, learning_rate=cfg.sft.lr,
        per_device_train_batch_size=cfg.sft.batch_size, max_length=max_length,
        lr_scheduler_type="constant", warmup_steps=0, logging_steps=1, save_strategy="no",
        report_to="none", seed=cfg.seed, use_cpu=device == "cpu", bf16=cfg.launch.bf16,
        activation_checkpointing=cfg.launch.activation_checkpointing, optim=cfg.launch.optim,
        dataloader_pin_memory=device != "cpu")
    dataset = Dataset.from_list([{"prompt": r["prompt"], "completion": r["completion"]} for r in rows])
    trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, processing_class=tokenizer)
    result = trainer.train()
    tokenizer.padding_side = "left"  # generation pads on the left; the trainer may have changed it
    return float(result.training_loss)


def seeded_sample(tasks: list, n: int, seed: str) -> list:
    """n tasks drawn by a string seed, in file order (0 or n >= len: all). Seeded by the round, not by
    a running RNG, so a resumed run draws the rounds it redoes exactly as the killed one did."""
    if not n or n >= len(tasks):
        return tasks
    keep = set(random.Random(seed).sample(range(len(tasks)), n))
    return [t for i, t in enumerate(tasks) if i in keep]


def run(cfg: RunConfig) -> None:
    from rlvr.models import load_model
    from rlvr.verifier import check_config as check_verifier, make_pool

    # 1. config and inputs: a bad value, task file or model dir is refused before the run dir is touched
    check_config(cfg)
    check_verifier(cfg.verifier)
    refuse_existing(cfg.run_dir, cfg.resume, cfg)
    torch.set_num_threads(cfg.threads)
    device = resolve_device(cfg)
    train_tasks = load_tasks(cfg.task.path, split="train")
    eval_tasks = seeded_sample(load_tasks(cfg.task.path, split=cfg.eval.split), cfg.sft.eval_prompts, f"{cfg.seed}-eval")
    start = finished_rounds(cfg.run_dir) if cfg.resume else 0
    ckpt = cfg.run_dir / f"checkpoints/round_{start}"
    model, tokenizer = load_model(str(ckpt) if start else cfg.model.path, cfg.model.tokenizer, cfg.model.dtype, device)
    log = RunLog(cfg.run_dir, "sft", resume=cfg.resume, config=cfg)

    # 2. state: the last finished round's weights and RNG, or the seed; logs cut back to match
    log.truncate_after(start or -1)
    accepted_path = cfg.run_dir / "accepted.jsonl"
    kept = [r for r in read_jsonl(accepted_path) if isinstance(r.get("round"), int) and r["round"] <= start]
    accepted_path.write_text("".join(json.dumps(r) + "\n" for r in kept))
    if start:
        set_rng_state(torch.load(ckpt / "rng.pt", weights_only=False))
        print(f"sft: resuming after round {start} from {ckpt}")
    else:
        torch.manual_seed(cfg.seed)
    training = training_text(cfg.task.path, [r["prompt"] + r["completion"] for r in kept])
    per_round = min(cfg.sft.prompts_per_round or len(train_tasks), len(train_tasks))
    print(f"sft: {per_round} of {len(train_tasks)} train prompts x k={cfg.sft.k} -> {per_round * cfg.sft.k} samples "
          f"per round, {len(eval_tasks)} {cfg.eval.split} prompts scored per round, {cfg.sft.rounds} rounds, "
          f"{'from the base model' if cfg.sft.from_base else 'with replay'}, device {device}")

    with make_pool(cfg.verifier) as pool:
        if not shipped_with_rlvr(cfg.task.path):  # a benchmark's or user's own solutions must pass before they teach
            print(f"sft: {check_canonical(pool, train_tasks, Path(cfg.task.path).stem)}")
        # 3. the model before any training (round 0)
        if start == 0:
            results, rollouts = evaluate(model, tokenizer, eval_tasks, cfg.sampling, pool, cfg.eval.n_samples,
                                         cfg.eval.ks, "round 0 eval")
            log.samples(0, audit_rows(rollouts, training))
            log.log(0, {"sft/round": 0, **flat_eval({cfg.eval.split: results}, cfg.eval.split)})
            print(f"sft: round 0 (before training) eval pass@1 {results['sampled']['pass@1']:.3f}")

        # 4. rounds: roll out -> accept -> fine-tune -> evaluate -> checkpoint
        for rnd in range(start + 1, cfg.sft.rounds + 1):
            t0, timings = time.time(), {}
            round_tasks = seeded_sample(train_tasks, cfg.sft.prompts_per_round, f"{cfg.seed}-round-{rnd}")
            with tqdm(total=len(round_tasks) * cfg.sft.k, desc=f"round {rnd} sampling") as bar:
                rollouts = roll_out(model, tokenizer, round_tasks, cfg.sampling, pool, cfg.sft.k, "sampled", timings, bar)
            accepted, min_reward = accept_round(rollouts, cfg.sft)
            metrics = {"sft/round": rnd, "sft/samples": sum(map(len, rollouts)), "sft/accepted": len(accepted),
                       "sft/prompts_with_accepted": len({a["task_id"] for a in accepted}),
                       "sft/min_reward": min_reward, **timings, **summarise(rollouts)}
            log.samples(rnd, audit_rows(rollouts, training))
            if not accepted:
                log.log(rnd, metrics)
                print(f"sft: round {rnd}: no sample reached reward {min_reward} (compile rate "
                      f"{metrics.get('reward/compile_rate', 0):.2f}); stopping without training. Try more "
                      f"samples (sft.k), a lower sft.min_reward, or a stronger model.")
                break
            with accepted_path.open("a") as f:
                f.writelines(json.dumps({"round": rnd, **a}) + "\n" for a in accepted)
            training.add(a["prompt"] + a["completion"] for a in accepted)

            t1 = time.time()
            if cfg.sft.from_base:
                model, _ = load_model(cfg.model.path, cfg.model.tokenizer, cfg.model.dtype, device)
                rows = accepted
            else:
                rows = unique_rows(read_jsonl(accepted_path))
            loss = fine_tune(model, tokenizer, rows, cfg, device, cfg.run_dir / "trainer")
            metrics.update({"loss": loss, "sft/train_rows": len(rows), "time/train_s": time.time() - t1})
            results, eval_rollouts = evaluate(model, tokenizer, eval_tasks, cfg.sampling, pool, cfg.eval.n_samples,
                                              cfg.eval.ks, f"round {rnd} eval")
            metrics.update(flat_eval({cfg.eval.split: results}, cfg.eval.split))
            ckpt = cfg.run_dir / f"checkpoints/round_{rnd}"
            model.save_pretrained(ckpt)
            tokenizer.save_pretrained(ckpt)
            torch.save(rng_state(), ckpt / "rng.pt")
            log.samples(rnd, audit_rows(eval_rollouts, training))
            log.log(rnd, metrics)
            # written last: marks the round complete (a resume truncates what came after it)
            (ckpt / "round.json").write_text(json.dumps({"round": rnd, "min_reward": min_reward}))
            print(f"sft: round {rnd}: compile {metrics['reward/compile_rate']:.2f} pass {metrics['reward/pass_rate']:.2f} "
                  f"accepted {len(accepted)} (threshold {min_reward}) trained on {len(rows)} loss {loss:.3f} "
                  f"eval pass@1 {results['sampled']['pass@1']:.3f} ({time.time() - t0:.0f}s)")

    # 5. save
    model.save_pretrained(cfg.run_dir / "final")
    tokenizer.save_pretrained(cfg.run_dir / "final")
    print(f"sft: final model -> {cfg.run_dir / 'final'}")


@hydra.main(config_path="../conf", config_name="sft", version_base=None)
def main(dict_cfg) -> None:
    run_stage("sft", run, dict_cfg)


if __name__ == "__main__":
    main()
