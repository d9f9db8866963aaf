"""Rollouts: the one record that flows sampler -> verifier -> metrics -> report, and its summariser.

    rollouts = roll_out(model, tokenizer, tasks, cfg.sampling, pool, n=8, decoding="sampled")
    metrics = summarise(rollouts, ks=[1, 5])        # every metric name of DESIGN.md's run directory
    rows = audit_rows(rollouts, TrainingText(texts))  # samples.jsonl rows with loss, ppl, tier, memorised

SFT rounds, eval, the decoding sweep and GRPO's audits all go through these, so a metric has one
name and one definition everywhere. The completion in a Rollout is the text as generated; the
verifier pool is the only place that cuts it. eval.json's per-decoding result (`eval_result`) and
its metrics.jsonl keys (`eval_key`) are derived here too, and read back by the same names.
"""
from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass, replace

from tqdm import tqdm

from rlvr.config import SamplingConfig
from rlvr.degeneration import coherence_score, degeneration_summary, entropy_spike, is_trivial_body, loss_tier
from rlvr.sampling import Sample, sample
from rlvr.tasks import Task, completion_end, load_tasks
from rlvr.verifier import Verdict, sandbox_failure

DECODINGS = ("greedy", "sampled")
# eval.json's field -> summarise()'s metric (pass@k and pass@1_se keep their names)
EVAL_FIELDS = {"n_tasks": "n_tasks", "compile_rate": "reward/compile_rate", "trivial_frac": "reward/trivial_frac",
               "coherence": "coherence/score", "truncated_frac": "completions/truncated_frac"}
MEMORISED_LOSS = 0.2  # seed 002: a sample under 0.2 nats/token is copied, not generated


class SandboxFailure(RuntimeError):
    """Most verdicts of a batch are sandbox_error: the pool, not the model, failed."""


@dataclass
class Rollout:
    task: Task
    sample: Sample
    verdict: Verdict
    decoding: str  # "greedy" | "sampled"


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from n samples with c correct (Chen et al. 2021): 1 - C(n-c,k)/C(n,k)."""
    k = min(k, n)
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def roll_out(model, tokenizer, tasks: list[Task], sampling: SamplingConfig, pool, n: int, decoding: str,
             timings: dict | None = None, progress=None) -> list[list[Rollout]]:
    """n completions per task (1 when greedy), verified by the pool -> one list of Rollouts per task.
    SandboxFailure when most verdicts are sandbox_error: no stage mistakes a broken pool for a model
    that never passes."""
    if decoding not in DECODINGS:
        raise ValueError(f"decoding={decoding!r}: expected one of {DECODINGS}")
    cfg = replace(sampling, temperature=0.0) if decoding == "greedy" else sampling
    t0 = time.time()
    samples = sample(model, tokenizer, tasks, cfg, n=n, progress=progress)
    t1 = time.time()
    flat = [(task, s) for task, row in zip(tasks, samples) for s in row]
    verdicts = pool.verify([t for t, _ in flat], [s.completion for _, s in flat]) if flat else []
    t2 = time.time()
    if timings is not None:
        timings.update({"time/generate_s": t1 - t0, "time/verify_s": t2 - t1,
                        "verifier/programs_per_s": len(flat) / max(t2 - t1, 1e-9)})
    if message := sandbox_failure(verdicts):
        raise SandboxFailure(message)
    it = iter(verdicts)
    return [[Rollout(task, s, next(it), decoding) for s in row] for task, row in zip(tasks, samples)]


def _mean(values) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0


def summarise(rollouts: list[list[Rollout]], ks=(1,)) -> dict:
    """Every metric of a batch of rollouts (one list per task), under DESIGN.md's names.

    pass@k is averaged over tasks, for k up to the fewest samples of a task; `pass@1_se` is the
    standard error over tasks. `sandbox_error` verdicts are left out of every metric: the pool
    failed, not the model."""
    n_all = sum(map(len, rollouts))
    scored_rows = [[r for r in row if r.verdict.status != "sandbox_error"] for row in rollouts]
    scored = [r for row in scored_rows for r in row]
    out = {"n_tasks": sum(1 for row in scored_rows if row),
           "reward/sandbox_error_frac": 1 - len(scored) / n_all if n_all else 0.0}
    if not scored:
        return out
    counts = [(len(row), sum(r.verdict.status == "pass" for r in row)) for row in scored_rows if row]
    fewest = min(n for n, _ in counts)
    for k in sorted({1, *ks}):
        if k <= fewest:
            out[f"pass@{k}"] = _mean(pass_at_k(n, c, k) for n, c in counts)
    per_task = [c / n for n, c in counts]
    out["pass@1_se"] = statistics.stdev(per_task) / math.sqrt(len(per_task)) if len(per_task) > 1 else 0.0
    rewards = [r.verdict.reward for r in scored]
    out.update({
        "reward/mean": _mean(rewards),
        "reward/std": statistics.pstdev(rewards),
        "completions/mean_length": _mean(r.sample.n_tokens for r in scored),
        "entropy/mean": _mean(e for r in scored for e in r.sample.entropy),
        **outcome_metrics([r.sample.completion for r in scored], [r.verdict for r in scored],
                          [r.sample.truncated for r in scored]),
    })
    return out


def outcome_metrics(completions: list[str], verdicts: list[Verdict], truncated: list[bool]) -> dict:
    """The metrics of verified completions that need no sampler record: summarise() and GRPO's reward
    function (over TRL's batches) both log them from here; callers leave sandbox_error verdicts out."""
    compiled = [c for c, v in zip(completions, verdicts) if v.compiled]
    return {"reward/compile_rate": len(compiled) / len(verdicts),
            "reward/pass_rate": _mean(v.status == "pass" for v in verdicts),
            "reward/trivial_frac": _mean(map(is_trivial_body, compiled)),
            "completions/truncated_frac": _mean(truncated),
            **degeneration_summary(completions)}


def eval_result(summary: dict) -> dict:
    """summarise()'s metrics -> one eval.json result M (DESIGN.md)."""
    passes = {k: v for k, v in summary.items() if k.startswith("pass@")}
    return {**passes, **{name: summary.get(metric, 0.0) for name, metric in EVAL_FIELDS.items()}}


def eval_key(name: str, split: str, decoding: str, main_split: str = "eval") -> str:
    """metrics.jsonl key of an eval.json field: `eval/pass@1` (main split, sampled),
    `eval/greedy_pass@1`, `eval/train/pass@1`, `eval/train/greedy_compile_rate` ..."""
    return f"eval/{'' if split == main_split else split + '/'}{'greedy_' if decoding == 'greedy' else ''}{name}"


def flat_eval(results: dict, main_split: str = "eval") -> dict:
    """{split: {decoding: M}} -> the flat eval/* keys of a metrics.jsonl row."""
    return {eval_key(name, split, decoding, main_split): value for split, by_decoding in results.items()
            for decoding, m in by_decoding.items() for name, value in m.items()}


def evaluate(model, tokenizer, tasks: list[Task], sampling: SamplingConfig, pool, n: int,
             ks, desc: str = "eval") -> tuple[dict, list[list[Rollout]]]:
    """Greedy (1 per task) and sampled (n per task) -> ({"greedy": M, "sampled": M}, all rollouts).
    Both, because a small model whose greedy decoding collapses (the `.S.S.S` attractor) makes the
    sampling controls load-bearing."""
    results, rollouts = {}, []
    with tqdm(total=len(tasks) * (1 + (n if sampling.temperature > 0 else 1)), desc=desc, unit="sample") as bar:
        for decoding in DECODINGS:
            batch = roll_out(model, tokenizer, tasks, sampling, pool, n if decoding == "sampled" else 1, decoding,
                             progress=bar)
            results[decoding] = eval_result(summarise(batch, ks if decoding == "sampled" else (1,)))
            rollouts += batch
    return results, rollouts


def normalise(code: str) -> str:
    """Whitespace-insensitive form, so reformatted copies of one text compare equal."""
    return " ".join(code.split())


class TrainingText:
    """The training data a stage knows of (pretraining corpus, SFT's accepted rows), normalised
    once, so that `copied(completion)` is one substring search."""

    def __init__(self, texts=()):
        self.text = "\n".join(normalise(t) for t in texts)

    def add(self, texts) -> None:
        self.text += "\n" + "\n".join(normalise(t) for t in texts)

    def copied(self, task: Task, completion: str) -> bool:
        """Whether the checked part of `completion` (up to the method's close) appears verbatim."""
        end = completion_end(task, completion)
        body = normalise(completion[:end] if end is not None else completion)
        return bool(body) and body in self.text


def training_text(task_path, extra=()) -> TrainingText:
    """What a stage knows its model was trained on: the train split's prompts with their reference
    bodies (the pretraining corpus is written from the same classes) and `extra` (SFT's rows)."""
    return TrainingText([*(t.prompt + t.reference for t in load_tasks(task_path, split="train")), *extra])


def audit_rows(rollouts: list[list[Rollout]], training: TrainingText | None = None) -> list[dict]:
    """samples.jsonl rows (DESIGN.md) for the first rollout of every task. `loss` is the negated mean
    of the log-probs kept while sampling: no second forward pass."""
    rows = []
    for r in (row[0] for row in rollouts if row):
        s, v = r.sample, r.verdict
        loss = -statistics.fmean(s.logprobs) if s.logprobs else math.nan
        memorised = loss < MEMORISED_LOSS and training is not None and training.copied(r.task, s.completion)
        rows.append({"task_id": r.task.id, "prompt": r.task.prompt, "completion": s.completion,
                     "reward": v.reward, "status": v.status, "error": v.error, "entropy": s.entropy,
                     "entropy_spike": entropy_spike(s.entropy), "coherence": coherence_score(s.completion),
                     "loss": loss, "ppl": math.exp(loss), "tier": loss_tier(loss),
                     "memorised": bool(memorised),
                     "truncated": s.truncated, "n_tokens": s.n_tokens, "decoding": r.decoding})
    return rows
