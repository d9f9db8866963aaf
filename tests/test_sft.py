"""Rejection-sampled SFT end to end: a tiny model, the real verifier, one real SFTTrainer round."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from rlvr.config import ROOT, compose
from rlvr.pretrain import train_tokenizer
from rlvr.sampling import Sample
from rlvr.sft import check_config, run, select_accepted
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
    samples = [Sample(task.id, c, 3, False) for c in ["a(); }}", "a();  }}", "b(); }}", "c(); }}", "d(); }}",
                                                      "return 0;\n    }\n}\n"]]
    verdicts = [verdict(2, "pass"), verdict(2, "pass"), verdict(1, "test_failure"), verdict(2, "pass"),
                verdict(float("nan"), "sandbox_error"), verdict(1, "test_failure")]
    accepted = select_accepted([task], [samples], [verdicts], min_reward=2, max_per_prompt=5)
    assert [a["completion"] for a in accepted] == ["a(); }}", "c(); }}"]  # whitespace duplicate and failures dropped
    assert len(select_accepted([task], [samples], [verdicts], min_reward=1, max_per_prompt=2)) == 2
    lowered = select_accepted([task], [samples], [verdicts], min_reward=1, max_per_prompt=9)
    assert "b(); }}" in [a["completion"] for a in lowered]
    assert not any("return 0" in a["completion"] for a in lowered)  # a trivial body is never accepted


@pytest.mark.parametrize("override,message", [
    ("sft.k=0", "sft.k=0"),
    ("model.path=", "model.path is empty"),
])
def test_bad_config_is_one_clear_error(override, message):
    cfg = compose("sft", ["+exp=java_bst_tiny", override])
    with pytest.raises(ValueError, match=message):
        check_config(cfg)


@pytest.mark.parametrize("override,message", [
    ("sampling=nonesuch", "sampling"),
    ("model.path=/no/such/model", "does not exist"),
    ("sft.k=0", "sft.k=0"),
])
def test_cli_bad_config_prints_one_line(tmp_path, override, message):
    proc = subprocess.run([sys.executable, "-m", "rlvr.sft", "+exp=java_bst_tiny", f"out_dir={tmp_path}", override],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode != 0
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_one_round_accepts_and_changes_weights(tmp_path):
    train = [t for t in load_tasks(TASKS, split="train") if len(t.prompt) < 1500][:2]
    model_dir = overfit_model_dir(tmp_path, train)
    tasks_file = tmp_path / "tasks.jsonl"
    evals = [t for t in load_tasks(TASKS, split="eval")][:1]
    tasks_file.write_text("".join(json.dumps(t.to_json()) + "\n" for t in train + evals))
    cfg = compose("sft", ["+exp=java_bst_tiny", f"out_dir={tmp_path / 'out'}", f"model.path={model_dir}",
                          f"task.path={tasks_file}", "sft.rounds=1", "sft.k=4", "sft.epochs=1",
                          "sampling.max_new_tokens=200", "sampling.temperature=0.5", "eval.n_samples=2", "eval.ks=[1,2]"])
    from transformers import AutoModelForCausalLM
    before = AutoModelForCausalLM.from_pretrained(model_dir).state_dict()
    run(cfg)
    run_dir = cfg.run_dir
    accepted = [json.loads(line) for line in (run_dir / "accepted.jsonl").read_text().splitlines()]
    assert accepted and all(a["reward"] >= 2 for a in accepted)
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [0, 1]
    assert rows[1]["sft/accepted"] == len(accepted)
    for key in ("reward/compile_rate", "reward/pass_rate", "loss", "eval/pass@1", "coherence/score",
                "degeneration/repeat_frac", "time/verify_s"):
        assert key in rows[1], key
    after = AutoModelForCausalLM.from_pretrained(run_dir / "final").state_dict()
    assert any(not torch.equal(before[k], after[k]) for k in before)
    assert (run_dir / "checkpoints/round_1/round.json").exists()
    assert (run_dir / "samples.jsonl").read_text()


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
