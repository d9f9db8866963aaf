"""Rejection-sampled SFT end to end: a tiny model, the real verifier, real SFTTrainer rounds, kills and resumes."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from rlvr.config import ROOT, compose
from rlvr.pretrain import train_tokenizer
from rlvr.rollout import Rollout
from rlvr.sampling import Sample
from rlvr.sft import accept_round, check_config, run, select_accepted
from rlvr.tasks import load_tasks
from rlvr.verifier import Verdict

TASKS = ROOT / "data/java_bst/tasks.jsonl"


def overfit_model_dir(tmp_path: Path, tasks, steps: int = 150) -> Path:
    """A 2-layer GPT-2 that has memorised prompt+reference of `tasks`: it passes sometimes."""
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    texts = [t.prompt + t.reference for t in tasks]
    tokenizer = train_tokenizer(texts * 4, vocab_size=400)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=64, n_layer=2,
                                       n_head=2, eos_token_id=tokenizer.eos_token_id,
                                       bos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.eos_token_id))
    ids = [torch.tensor(tokenizer(t)["input_ids"] + [tokenizer.eos_token_id]) for t in texts]
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for step in range(steps):
        x = ids[step % len(ids)].unsqueeze(0)
        loss = model(input_ids=x, labels=x).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
    out = tmp_path / "overfit"
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def verdict(reward, status):
    return Verdict(reward=reward, status=status, compiled=reward >= 1, tests_passed=0, tests_total=1,
                   error="", seconds=0.0, cached=False)


def test_select_accepted_dedupes_thresholds_and_caps():
    task = load_tasks(TASKS)[0]
    completions = ["a(); }}", "a();  }}", "b(); }}", "c(); }}", "d(); }}", "return 0;\n    }\n}\n", "e();"]
    verdicts = [verdict(2, "pass"), verdict(2, "pass"), verdict(1, "test_failure"), verdict(2, "pass"),
                verdict(float("nan"), "sandbox_error"), verdict(1, "test_failure"), verdict(2, "pass")]
    rollouts = [[Rollout(task, Sample(task.id, c, 3, False), v, "sampled") for c, v in zip(completions, verdicts)]]
    accepted = select_accepted(rollouts, min_reward=2, max_per_prompt=5)
    # whitespace duplicate, failures and a method that never closed dropped; trained on up to the close
    assert [a["completion"] for a in accepted] == ["a(); }", "c(); }"]
    assert len(select_accepted(rollouts, min_reward=1, max_per_prompt=2)) == 2
    lowered = select_accepted(rollouts, min_reward=1, max_per_prompt=9)
    assert "b(); }" in [a["completion"] for a in lowered]
    assert not any("return 0" in a["completion"] for a in lowered)  # a trivial body is never accepted


def test_the_fallback_threshold_holds_for_one_round_only():
    cfg = compose("sft", ["+exp=java_bst_tiny", "sft.min_reward=2", "sft.fallback_min_reward=1"]).sft
    task = load_tasks(TASKS)[0]
    failing = [[Rollout(task, Sample(task.id, "b(); }", 3, False), verdict(1, "test_failure"), "sampled")]]
    passing = [[Rollout(task, Sample(task.id, "a(); }", 3, False), verdict(2, "pass"), "sampled")]]
    assert [(len(a), t) for a, t in map(lambda r: accept_round(r, cfg), [failing, passing, failing])] == \
        [(1, 1.0), (1, 2.0), (1, 1.0)]


@pytest.mark.parametrize("override,message", [
    ("sft.k=0", "sft.k=0"), ("sft.rounds=0", "sft.rounds=0"), ("sft.batch_size=0", "sft.batch_size=0"),
    ("sft.epochs=-1", "sft.epochs=-1"), ("sft.lr=-1", "sft.lr=-1"), ("sft.epochs=0", "sft.epochs=0"),
    ("sft.fallback_min_reward=3", "sft.fallback_min_reward=3"), ("sampling.batch_size=0", "sampling.batch_size=0"),
    ("eval.n_samples=0", "eval.n_samples=0"), ("eval.ks=[0]", "eval.ks=[0]"), ("eval.ks=[1,20]", "eval.ks=[1, 20]"),
    ("model.path=", "model.path is empty"), ("sft.min_reward=5", "above what verifier.reward=tiered gives a pass"),
    ("verifier.reward=binary", "sft.min_reward=2.0 is above what verifier.reward=binary gives a pass \\(1.0\\)"),
])
def test_bad_config_is_one_clear_error(override, message):
    cfg = compose("sft", ["+exp=java_bst_tiny", override])
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        check_config(cfg)


@pytest.mark.parametrize("override,message", [
    ("sampling=nonesuch", "sampling"),
    ("model.path=/no/such/model", "does not exist"),
    ("sft.lr=-1", "sft.lr=-1"),
    ("task.path=EVAL_ONLY", "no tasks with split 'train'"),
])
def test_cli_bad_input_prints_one_line(tmp_path, override, message):
    eval_only = tmp_path / "eval_only.jsonl"
    eval_only.write_text("".join(json.dumps(t.to_json()) + "\n" for t in load_tasks(TASKS, split="eval")))
    proc = subprocess.run([sys.executable, "-m", "rlvr.sft", "+exp=java_bst_tiny", f"out_dir={tmp_path / 'out'}",
                           override.replace("EVAL_ONLY", str(eval_only))],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 or override.startswith("sampling=")  # Hydra's own composition error exits 1
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out/sft/java_bst_tiny/metrics.jsonl").exists()


TINY_RUN = ["+exp=java_bst_tiny", "sft.rounds=2", "sft.k=4", "sft.epochs=1", "sampling.max_new_tokens=200",
            "sampling.temperature=0.5", "eval.n_samples=2", "eval.ks=[1,2]"]


@pytest.fixture(scope="module")
def tiny_setup(tmp_path_factory):
    """A tiny model that sometimes passes, its task file, and an unkilled 2-round run of it."""
    tmp_path = tmp_path_factory.mktemp("sft")
    train = [t for t in load_tasks(TASKS, split="train") if len(t.prompt) < 1500][:2]
    model_dir = overfit_model_dir(tmp_path, train)
    tasks_file = tmp_path / "tasks.jsonl"
    tasks_file.write_text("".join(json.dumps(t.to_json()) + "\n" for t in train + load_tasks(TASKS, split="eval")[:1]))
    overrides = [*TINY_RUN, f"model.path={model_dir}", f"task.path={tasks_file}"]
    cfg = compose("sft", [*overrides, f"out_dir={tmp_path / 'reference'}"])
    run(cfg)
    return tmp_path, overrides, cfg.run_dir, model_dir


def run_record(run_dir: Path) -> dict:
    """What must not depend on a kill: metrics (timings aside), accepted rows, audit rows, weights."""
    from safetensors.torch import load_file

    def rows(name):
        return [json.loads(line) for line in (run_dir / name).read_text().splitlines()]

    timing = ("time", "time/generate_s", "time/verify_s", "time/train_s", "verifier/programs_per_s")
    return {"metrics": [{k: v for k, v in r.items() if k not in timing} for r in rows("metrics.jsonl")],
            "accepted": rows("accepted.jsonl"),
            "samples": [(r["step"], r["task_id"], r["completion"], r["reward"]) for r in rows("samples.jsonl")],
            "weights": load_file(run_dir / "final/model.safetensors")}


def test_rounds_accept_train_and_log_every_metric(tiny_setup):
    _, _, run_dir, model_dir = tiny_setup
    accepted = [json.loads(line) for line in (run_dir / "accepted.jsonl").read_text().splitlines()]
    assert accepted and all(a["reward"] >= 1 for a in accepted)
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [0, 1, 2]
    assert rows[1]["sft/accepted"] == sum(a["round"] == 1 for a in accepted)
    for key in ("reward/compile_rate", "reward/pass_rate", "reward/trivial_frac", "loss", "eval/pass@1",
                "eval/pass@1_se", "eval/n_tasks", "eval/greedy_pass@1", "coherence/score", "degeneration/repeat_frac",
                "completions/truncated_frac", "time/verify_s", "sft/min_reward"):
        assert key in rows[1], key
    audit = [json.loads(line) for line in (run_dir / "samples.jsonl").read_text().splitlines()]
    assert all({"loss", "ppl", "tier", "memorised"} <= set(r) for r in audit)
    record = run_record(run_dir)
    from safetensors.torch import load_file
    before = load_file(model_dir / "model.safetensors")
    assert any(not torch.equal(before[k], record["weights"][k]) for k in before)
    assert (run_dir / "checkpoints/round_2/round.json").exists() and (run_dir / "checkpoints/round_2/rng.pt").exists()


def kill_in_round(overrides: list[str], run_dir: Path, kill_round: int) -> None:
    """Run the stage in a subprocess and SIGKILL it once round `kill_round`'s train samples are
    logged: after sampling, before that round's checkpoint is complete."""
    proc = subprocess.Popen([sys.executable, "-m", "rlvr.sft", *overrides], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples, deadline = run_dir / "samples.jsonl", time.time() + 300
    while proc.poll() is None and time.time() < deadline:
        lines = samples.read_text().splitlines() if samples.exists() else []
        if any(json.loads(line)["step"] == kill_round for line in lines if line.endswith("}")):
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"the run ended before round {kill_round}'s kill point"
    assert not (run_dir / f"checkpoints/round_{kill_round}/round.json").exists()


def test_killed_in_round_1_and_in_round_2_resumes_to_the_unkilled_result(tiny_setup):
    """Killed in round 1 (no round checkpoint yet), resumed and killed again in round 2, resumed:
    every step and accepted row once, RNG restored, the same result as the unkilled run."""
    tmp_path, overrides, reference_dir, _ = tiny_setup
    out = tmp_path / "killed"
    run_dir = out / "sft" / reference_dir.name
    kill_in_round([*overrides, f"out_dir={out}"], run_dir, kill_round=1)
    kill_in_round([*overrides, f"out_dir={out}", "resume=true"], run_dir, kill_round=2)
    assert (run_dir / "checkpoints/round_1/round.json").exists()
    run(compose("sft", [*overrides, f"out_dir={out}", "resume=true"]))
    killed, reference = run_record(run_dir), run_record(reference_dir)
    assert [r["step"] for r in killed["metrics"]] == [0, 1, 2]
    assert killed["metrics"] == reference["metrics"]
    assert killed["accepted"] == reference["accepted"]
    assert killed["samples"] == reference["samples"]
    assert all(torch.equal(killed["weights"][k], reference["weights"][k]) for k in reference["weights"])


def test_rows_longer_than_the_context_are_left_out_not_cut():
    """TRL keeps the START of a long row: the completion would be cut away, so such rows are dropped."""
    from rlvr.sft import fits

    train = load_tasks(TASKS, split="train")[:3]
    tokenizer = train_tokenizer([t.prompt + t.reference for t in train], vocab_size=400)
    rows = [{"prompt": t.prompt, "completion": t.reference} for t in train]
    lengths = [len(tokenizer(r["prompt"] + r["completion"])["input_ids"]) + 1 for r in rows]
    kept, dropped = fits(tokenizer, rows, max_length=sorted(lengths)[1])
    assert dropped == 1 and len(kept) == 2 and all(r in rows for r in kept)
    assert fits(tokenizer, rows, max_length=max(lengths)) == (rows, 0)


def test_seeded_sample_is_fixed_per_seed_new_per_round_and_all_at_zero():
    from rlvr.sft import seeded_sample
    tasks = list(range(100))
    round_1 = seeded_sample(tasks, 10, "0-round-1")
    assert round_1 == seeded_sample(tasks, 10, "0-round-1") and round_1 == sorted(round_1) and len(round_1) == 10
    assert round_1 != seeded_sample(tasks, 10, "0-round-2")
    assert seeded_sample(tasks, 0, "x") == tasks and seeded_sample(tasks, 500, "x") == tasks
