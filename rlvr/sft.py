"""Rejection-sampled SFT (expert iteration / ReST): be right once in k tries, learn from it.

    python -m rlvr.sft +exp=java_bst_tiny
    python -m rlvr.sft +exp=java_bst model.path=/path/to/gpt2-124m sft.rounds=5 sft.k=16

Each round: sample k completions per train prompt, verify them all with the pool, keep those
with reward >= sft.min_reward (deduplicated, at most sft.max_per_prompt per prompt), fine-tune
on them with TRL's SFTTrainer (prompt -> completion, completion-only loss), evaluate pass@1 on
the held-out split, repeat. Simplifications: each round trains on that round's accepted set only,
continuing from the previous round's weights; no replay of older rounds.

Outputs (run dir): accepted.jsonl (every accepted completion with its Verdict), metrics.jsonl
(one row per round; step 0 is the model before training), samples.jsonl (audit),
checkpoints/round_<r>/ and final/. `resume=true` continues after the last finished round.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import hydra
import torch
from tqdm import tqdm

from rlvr.degeneration import is_trivial_body
from rlvr.config import ConfigError, RunConfig, check_common, resolve_device, to_object
from rlvr.runlog import RunDirExists, RunLog, read_jsonl
from rlvr.sampling import Sample, sample
from rlvr.scoring import audit_rows, evaluate, sample_metrics, verify
from rlvr.tasks import Task, TaskFileError, load_tasks


def check_config(cfg: RunConfig) -> None:
    check_common(cfg)
    s = cfg.sft
    if s.k < 1:
        raise ConfigError(f"sft.k={s.k}: need at least one sample per prompt")
    if s.rounds < 1 or s.max_per_prompt < 1:
        raise ConfigError("sft.rounds and sft.max_per_prompt must be >= 1")
    if cfg.sampling.temperature <= 0 and s.k > 1:
        raise ConfigError("sft.k > 1 with greedy sampling gives k copies of one completion: use sampling=default")


def normalise(code: str) -> str:
    """Whitespace-insensitive key, so reformatted copies of one completion count once."""
    return " ".join(code.split())


def select_accepted(tasks: list[Task], samples: list[list[Sample]], verdicts, min_reward: float,
                    max_per_prompt: int) -> list[dict]:
    """Samples at or above min_reward, never a trivial body, deduplicated per prompt, best reward
    first, at most max_per_prompt each."""
    accepted = []
    for task, row, vrow in zip(tasks, samples, verdicts):
        seen = set()
        ranked = sorted(zip(row, vrow), key=lambda sv: -sv[1].reward if sv[1].reward == sv[1].reward else 0)
        for s, v in ranked:
            key = normalise(s.completion)
            # a trivial body compiles (reward 1) and teaches the model to game the reward
            if v.status == "sandbox_error" or v.reward < min_reward or key in seen or is_trivial_body(s.completion):
                continue
            seen.add(key)
            accepted.append({"task_id": task.id, "prompt": task.prompt, "completion": s.completion,
                             "reward": v.reward, "status": v.status, "n_tokens": s.n_tokens})
            if len(seen) >= max_per_prompt:
                break
    return accepted


def finished_rounds(run_dir: Path) -> int:
    """The last round whose checkpoint was completely written (0 if none)."""
    done = [int(p.parent.name.split("_")[1]) for p in run_dir.glob("checkpoints/round_*/round.json")]
    return max(done, default=0)


def fits(tokenizer, rows: list[dict], max_length: int) -> tuple[list[dict], int]:
    """Rows whose prompt + completion + EOS fit in max_length tokens, and how many did not."""
    kept = [r for r in rows if len(tokenizer(r["prompt"] + r["completion"])["input_ids"]) + 1 <= max_length]
    return kept, len(rows) - len(kept)


def fine_tune(model, tokenizer, rows: list[dict], cfg: RunConfig, device: str, out_dir: Path) -> float:
    """One SFTTrainer pass over prompt->completion rows; returns the mean train loss."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    max_length = cfg.sft.max_length or getattr(model.config, "n_positions", None) or model.config.max_position_embeddings
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


def run(cfg: RunConfig) -> None:
    from rlvr.models import load_model
    from rlvr.verifier import make_pool

    # 1. config and inputs
    check_config(cfg)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    device = resolve_device(cfg)
    train_tasks = load_tasks(cfg.task.path, split="train")
    eval_tasks = load_tasks(cfg.task.path, split="eval")
    log = RunLog(cfg.run_dir, "sft", resume=cfg.resume, config=cfg)
    start_round = finished_rounds(cfg.run_dir) if cfg.resume else 0
    model_path = str(cfg.run_dir / f"checkpoints/round_{start_round}") if start_round else cfg.model.path
    model, tokenizer = load_model(model_path, cfg.model.tokenizer, cfg.model.dtype, device)
    if start_round:
        log.truncate_after(start_round)
        accepted_path = cfg.run_dir / "accepted.jsonl"
        kept = [r for r in read_jsonl(accepted_path) if r.get("round", 0) <= start_round]
        accepted_path.write_text("".join(json.dumps(r) + "\n" for r in kept))
        print(f"sft: resuming after round {start_round} from {model_path}")

    # 2. derived sizes
    per_round = len(train_tasks) * cfg.sft.k
    print(f"sft: {len(train_tasks)} train / {len(eval_tasks)} eval prompts, k={cfg.sft.k} -> "
          f"{per_round} samples per round, {cfg.sft.rounds} rounds, device {device}")

    with make_pool(cfg.verifier) as pool:
        # 3. the model before any training (round 0)
        if start_round == 0:
            metrics, rows = evaluate(model, tokenizer, eval_tasks, cfg.sampling, pool,
                                     cfg.eval.n_samples, cfg.eval.ks)
            log.log(0, {"sft/round": 0, **metrics})
            log.samples(0, rows)
            print(f"sft: round 0 (before training) eval pass@1 {metrics.get('eval/pass@1', 0):.3f}")

        # 4. rounds: sample -> verify -> accept -> fine-tune -> evaluate
        min_reward = cfg.sft.min_reward
        for rnd in range(start_round + 1, cfg.sft.rounds + 1):
            t0 = time.time()
            with tqdm(total=per_round, desc=f"round {rnd} sampling") as bar:
                samples = sample(model, tokenizer, train_tasks, cfg.sampling, n=cfg.sft.k, progress=bar)
            generate_s = time.time() - t0
            verdicts, verify_stats = verify(pool, train_tasks, samples)
            accepted = select_accepted(train_tasks, samples, verdicts, min_reward, cfg.sft.max_per_prompt)
            if not accepted and cfg.sft.fallback_min_reward is not None and min_reward > cfg.sft.fallback_min_reward:
                min_reward = cfg.sft.fallback_min_reward
                print(f"sft: round {rnd} accepted nothing; lowering sft.min_reward to {min_reward}")
                accepted = select_accepted(train_tasks, samples, verdicts, min_reward, cfg.sft.max_per_prompt)
            flat_s = [s for row in samples for s in row]
            flat_v = [v for row in verdicts for v in row]
            round_metrics = {"sft/round": rnd, "sft/samples": len(flat_s), "sft/accepted": len(accepted),
                             "sft/prompts_with_accepted": len({a["task_id"] for a in accepted}),
                             "sft/min_reward": min_reward, "time/generate_s": generate_s,
                             **verify_stats, **sample_metrics(flat_s, flat_v)}
            log.samples(rnd, audit_rows(train_tasks, samples, verdicts, per_task=1))
            if not accepted:
                log.log(rnd, round_metrics)
                print(f"sft: round {rnd}: none of {len(flat_s)} samples reached reward {min_reward} "
                      f"(compile rate {round_metrics.get('reward/compile_rate', 0):.2f}); stopping without "
                      f"training. Try more samples (sft.k), a lower sft.min_reward, or a stronger model.")
                break
            with (cfg.run_dir / "accepted.jsonl").open("a") as f:
                f.writelines(json.dumps({"round": rnd, **a}) + "\n" for a in accepted)

            t1 = time.time()
            loss = fine_tune(model, tokenizer, accepted, cfg, device, cfg.run_dir / "trainer")
            round_metrics.update({"loss": loss, "time/train_s": time.time() - t1})
            eval_metrics, eval_rows = evaluate(model, tokenizer, eval_tasks, cfg.sampling, pool,
                                               cfg.eval.n_samples, cfg.eval.ks)
            round_metrics.update(eval_metrics)
            log.samples(rnd, eval_rows)
            ckpt = cfg.run_dir / f"checkpoints/round_{rnd}"
            model.save_pretrained(ckpt)
            tokenizer.save_pretrained(ckpt)
            (ckpt / "round.json").write_text(json.dumps({"round": rnd, "min_reward": min_reward}))  # written last: marks it complete
            log.log(rnd, round_metrics)
            print(f"sft: round {rnd}: compile {round_metrics['reward/compile_rate']:.2f} pass "
                  f"{round_metrics['reward/pass_rate']:.2f} accepted {len(accepted)} loss {loss:.3f} "
                  f"eval pass@1 {eval_metrics.get('eval/pass@1', 0):.3f} ({time.time() - t0:.0f}s)")

    # 5. save
    model.save_pretrained(cfg.run_dir / "final")
    tokenizer.save_pretrained(cfg.run_dir / "final")
    print(f"sft: final model -> {cfg.run_dir / 'final'}")


@hydra.main(config_path="../conf", config_name="sft", version_base=None)
def main(dict_cfg) -> None:
    from rlvr.models import ModelLoadError

    try:
        run(to_object(dict_cfg))
    except (ConfigError, ModelLoadError, TaskFileError, FileNotFoundError, RunDirExists) as e:
        sys.exit(f"rlvr.sft: error: {e}")


if __name__ == "__main__":
    main()
