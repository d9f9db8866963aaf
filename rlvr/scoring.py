"""Scoring shared by the stages: verify samples, summarise them, pass@k, held-out evaluation."""
from __future__ import annotations

import math
import statistics
import time
from dataclasses import replace

from tqdm import tqdm

from rlvr.config import SamplingConfig
from rlvr.degeneration import coherence_score, degeneration_summary, is_trivial_body
from rlvr.sampling import Sample, sample
from rlvr.tasks import Task


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from n samples with c correct (Chen et al. 2021): 1 - C(n-c,k)/C(n,k)."""
    if k > n:
        k = n
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def verify(pool, tasks: list[Task], samples: list[list[Sample]]):
    """Verdicts shaped like `samples` (one list per task), and the verifier's programs/s."""
    flat_tasks = [t for t, row in zip(tasks, samples) for _ in row]
    flat = [s.completion for row in samples for s in row]
    t0 = time.time()
    verdicts = pool.verify(flat_tasks, flat)
    seconds = time.time() - t0
    out, i = [], 0
    for row in samples:
        out.append(verdicts[i:i + len(row)])
        i += len(row)
    return out, {"time/verify_s": seconds, "verifier/programs_per_s": len(flat) / max(seconds, 1e-9)}


def sample_metrics(samples: list[Sample], verdicts) -> dict:
    """Reward, compile/pass rates, length, truncation, entropy and degeneration of one batch."""
    scored = [(s, v) for s, v in zip(samples, verdicts) if v.status != "sandbox_error"]
    if not scored:
        return {"reward/sandbox_error_frac": 1.0 if samples else 0.0}
    rewards = [v.reward for _, v in scored]
    entropies = [e for s, _ in scored for e in s.entropy]
    compiled = [v.compiled for _, v in scored]
    trivial = [is_trivial_body(s.completion) for s, v in scored if v.compiled]
    return {
        "reward/mean": statistics.fmean(rewards),
        "reward/std": statistics.pstdev(rewards),
        "reward/compile_rate": statistics.fmean(compiled),
        "reward/pass_rate": statistics.fmean(v.status == "pass" for _, v in scored),
        "reward/trivial_frac": statistics.fmean(trivial) if trivial else 0.0,
        "reward/sandbox_error_frac": 1 - len(scored) / len(samples),
        "completions/mean_length": statistics.fmean(s.n_tokens for s, _ in scored),
        "completions/truncated_frac": statistics.fmean(s.truncated for s, _ in scored),
        "entropy/mean": statistics.fmean(entropies) if entropies else 0.0,
        **degeneration_summary([s.completion for s, _ in scored]),
    }


def audit_rows(tasks: list[Task], samples: list[list[Sample]], verdicts, per_task: int = 1,
               decoding: str = "sampled") -> list[dict]:
    """samples.jsonl rows (DESIGN.md) for the first `per_task` samples of every task."""
    rows = []
    for task, row, vrow in zip(tasks, samples, verdicts):
        for s, v in list(zip(row, vrow))[:per_task]:
            rows.append({"task_id": task.id, "prompt": task.prompt, "completion": s.completion,
                         "reward": v.reward, "status": v.status, "error": v.error,
                         "entropy": s.entropy, "coherence": coherence_score(s.completion),
                         "truncated": s.truncated, "decoding": decoding})
    return rows


def evaluate(model, tokenizer, tasks: list[Task], sampling: SamplingConfig, pool, n: int,
             ks: list[int], prefix: str = "eval/"):
    """Greedy pass@1 and sampled pass@k side by side -> (metrics, audit rows).

    Greedy and sampled are both reported because a small model that collapses under greedy
    decoding (the `.S.S.S` attractor) makes the sampling controls load-bearing.
    """
    metrics, rows = {}, []
    for decoding, cfg, count in [("greedy", replace(sampling, temperature=0.0), 1), ("sampled", sampling, n)]:
        with tqdm(total=len(tasks) * count, desc=f"eval {decoding}", leave=False) as bar:
            samples = sample(model, tokenizer, tasks, cfg, n=count, progress=bar)
        verdicts, _ = verify(pool, tasks, samples)
        flat_s = [s for row in samples for s in row]
        flat_v = [v for row in verdicts for v in row]
        summary = sample_metrics(flat_s, flat_v)
        tag = f"{prefix}{decoding}_" if decoding == "greedy" else prefix
        correct = [sum(v.status == "pass" for v in row) for row in verdicts]
        for k in (ks if decoding == "sampled" else [1]):
            if k <= count:
                metrics[f"{tag}pass@{k}"] = statistics.fmean(pass_at_k(count, c, k) for c in correct)
        metrics[f"{tag}compile_rate"] = summary.get("reward/compile_rate", 0.0)
        metrics[f"{tag}trivial_frac"] = summary.get("reward/trivial_frac", 0.0)
        metrics[f"{tag}coherence"] = summary.get("coherence/score", 0.0)
        metrics[f"{tag}truncated_frac"] = summary.get("completions/truncated_frac", 0.0)
        rows += audit_rows(tasks, samples, verdicts, per_task=1, decoding=decoding)
    return metrics, rows
