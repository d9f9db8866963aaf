"""Rollouts: the summariser's metrics and eval.json fields, audit rows, and a real roll_out."""
import math
from dataclasses import replace

import pytest
import torch

from rlvr.config import ROOT, SamplingConfig
from rlvr.pretrain import train_tokenizer
from rlvr.rollout import (EVAL_FIELDS, Rollout, SandboxFailure, TrainingText, audit_rows, eval_key, eval_result,
                          flat_eval, pass_at_k, roll_out, summarise)
from rlvr.sampling import Sample
from rlvr.tasks import load_tasks
from rlvr.verifier import Verdict, VerifierConfig, make_pool

TASKS = ROOT / "data/java_bst/tasks.jsonl"
TASK = load_tasks(TASKS, split="train")[0]


def rollout(completion, status, reward=None, truncated=False, logprobs=(-1.0,), task=TASK):
    reward = {"pass": 2.0, "test_failure": 1.0, "compile_error": 0.0, "sandbox_error": math.nan}[status] \
        if reward is None else reward
    verdict = Verdict(reward=reward, status=status, compiled=status in ("pass", "test_failure"), tests_passed=0,
                      tests_total=1, error="", seconds=0.0, cached=False)
    sample = Sample(task.id, completion, 3, truncated, entropy=[0.5, 1.5], logprobs=list(logprobs))
    return Rollout(task, sample, verdict, "sampled")


def test_pass_at_k_matches_the_combinatorial_formula():
    for n, c, k in [(10, 3, 1), (10, 3, 5), (20, 0, 5), (5, 5, 1), (10, 9, 5)]:
        assert pass_at_k(n, c, k) == pytest.approx(1 - math.comb(n - c, k) / math.comb(n, k))


def test_summarise_pass_at_k_standard_error_and_rates():
    body = "int x = a + b;\n        return x;\n    }\n"
    rows = [[rollout(body, "pass"), rollout(body, "test_failure"), rollout("return 0;\n    }", "test_failure", 0.0)],
            [rollout(body, "pass"), rollout(body, "pass"), rollout("x x x", "compile_error", truncated=True)],
            [rollout(body, "compile_error"), rollout(body, "compile_error"), rollout(body, "sandbox_error")]]
    s = summarise(rows, ks=[1, 2, 5])
    per_task = [1 / 3, 2 / 3, 0.0]
    assert s["n_tasks"] == 3
    assert s["pass@1"] == pytest.approx(sum(per_task) / 3)
    assert s["pass@1_se"] == pytest.approx(torch.tensor(per_task).std().item() / math.sqrt(3))
    assert s["pass@2"] == pytest.approx((pass_at_k(3, 1, 2) + pass_at_k(3, 2, 2) + 0.0) / 3)
    assert "pass@5" not in s  # the sandbox error leaves task 3 with 2 samples, fewer than 5
    assert s["reward/sandbox_error_frac"] == pytest.approx(1 / 9)
    assert s["reward/compile_rate"] == pytest.approx(5 / 8)
    assert s["reward/trivial_frac"] == pytest.approx(1 / 5)  # of the compiling bodies
    assert s["completions/truncated_frac"] == pytest.approx(1 / 8)
    for key in ("reward/mean", "reward/std", "reward/pass_rate", "entropy/mean", "completions/mean_length",
                "coherence/score", "degeneration/repeat_frac", "degeneration/distinct_2"):
        assert key in s, key
    m = eval_result(s)
    assert set(m) == {"pass@1", "pass@2", "pass@1_se", *EVAL_FIELDS}  # DESIGN.md's eval.json result
    assert m["trivial_frac"] == s["reward/trivial_frac"] and m["n_tasks"] == 3


def test_summarise_an_all_sandbox_error_batch_reports_no_fake_zeros():
    s = summarise([[rollout("x", "sandbox_error")]])
    assert s == {"n_tasks": 0, "reward/sandbox_error_frac": 1.0}


def test_eval_keys_are_written_and_read_by_one_function():
    results = {"eval": {"greedy": {"pass@1": 0.5}, "sampled": {"pass@1": 0.25, "n_tasks": 4}},
               "train": {"greedy": {"pass@1": 0.1}, "sampled": {"pass@1": 0.2}}}
    flat = flat_eval(results, "eval")
    assert flat == {"eval/greedy_pass@1": 0.5, "eval/pass@1": 0.25, "eval/n_tasks": 4,
                    "eval/train/greedy_pass@1": 0.1, "eval/train/pass@1": 0.2}
    assert all(flat[eval_key(n, s, d)] == v for s, r in results.items() for d, m in r.items() for n, v in m.items())


def test_audit_rows_carry_loss_tier_and_memorised():
    body = "return find(root, key) != null;\n    }\n"
    training = TrainingText([TASK.prompt + "  return   find(root,\nkey) != null; }"])
    rows = audit_rows([[rollout(body, "pass", logprobs=[-0.1, -0.1]), rollout(body, "pass")],
                       [rollout("return 1 + 2;\n    }", "pass", logprobs=[-0.05])],
                       [rollout(body, "pass", logprobs=[-0.7, -0.7])]], training)
    assert len(rows) == 3  # the first rollout of each task
    copied, novel, fluent = rows
    assert copied["loss"] == pytest.approx(0.1) and copied["ppl"] == pytest.approx(math.exp(0.1))
    assert copied["tier"] == "memorised" and copied["memorised"] is True
    assert novel["tier"] == "memorised" and novel["memorised"] is False  # low loss, but not in the training text
    assert fluent["tier"] == "textbook" and fluent["memorised"] is False  # a copy, but not a confident one
    for key in ("task_id", "prompt", "completion", "reward", "status", "error", "entropy", "coherence", "decoding"):
        assert key in copied, key
    assert copied["entropy_spike"] is None  # [0.5, 1.5]: too short to judge
    spiked = audit_rows([[replace(rollout(body, "pass"), sample=Sample(TASK.id, body, 13, False, entropy=[0.5] * 12 + [3.0]))]])
    assert spiked[0]["entropy_spike"] == 12


def tiny_model(tasks):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    tokenizer = train_tokenizer([t.prompt + t.reference for t in tasks] * 2, vocab_size=400)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=32, n_layer=1, n_head=2,
                                       eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.eos_token_id))
    tokenizer.padding_side = "left"
    return model, tokenizer


def test_roll_out_verifies_raw_completions_and_stops_on_a_broken_pool():
    tasks = load_tasks(TASKS, split="train")[:2]
    model, tokenizer = tiny_model(tasks)
    timings = {}
    with make_pool(VerifierConfig(workers=1)) as pool:
        rows = roll_out(model, tokenizer, tasks, SamplingConfig(max_new_tokens=8), pool, 2, "sampled", timings)
    assert [[r.task.id for r in row] for row in rows] == [[t.id] * 2 for t in tasks]
    assert all(r.verdict.status == "compile_error" and r.decoding == "sampled" for row in rows for r in row)
    assert set(timings) == {"time/generate_s", "time/verify_s", "verifier/programs_per_s"}
    with pytest.raises(SandboxFailure, match="sandbox_error"):
        roll_out(model, tokenizer, tasks, SamplingConfig(max_new_tokens=8), BrokenPool(), 1, "greedy")


class BrokenPool:
    """A pool whose sandbox cannot start: every verdict is sandbox_error (what a typo'd sandbox gave)."""

    def verify(self, tasks, completions):
        return [Verdict(reward=math.nan, status="sandbox_error", compiled=False, tests_passed=0, tests_total=0,
                        error="bwrap: cannot start", seconds=0.0, cached=False) for _ in completions]
