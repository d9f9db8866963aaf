"""The eval stage: presets, a real CLI run writing eval.json as DESIGN.md says, resume, bad config."""
import json
import subprocess
import sys

import pytest
import torch

from rlvr.config import ROOT, SamplingConfig
from rlvr.eval import load_preset
from rlvr.pretrain import train_tokenizer
from rlvr.rollout import EVAL_FIELDS, eval_key
from rlvr.tasks import load_tasks

TASKS = ROOT / "data/java_bst/tasks.jsonl"


def test_presets_override_only_decoding():
    base = SamplingConfig(max_new_tokens=77, batch_size=5)
    strict = load_preset("strict", base)
    assert strict.repetition_penalty > 1 and strict.no_repeat_ngram_size > 0
    assert (strict.max_new_tokens, strict.batch_size) == (77, 5)
    assert load_preset("greedy", base).temperature == 0
    with pytest.raises(ValueError, match="unknown sampling preset"):
        load_preset("nonesuch", base)


def eval_cli(tmp_path, *overrides):
    return subprocess.run([sys.executable, "-m", "rlvr.eval", "+exp=java_bst_tiny", f"out_dir={tmp_path / 'out'}",
                           *overrides], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_eval_cli_writes_eval_json_and_resumes_without_duplicates(tmp_path):
    from transformers import GPT2Config, GPT2LMHeadModel

    tasks = load_tasks(TASKS)
    tokenizer = train_tokenizer([t.prompt + t.reference for t in tasks], vocab_size=400)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=32, n_layer=1, n_head=2,
                                       eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id))
    for name in ("m", "base"):
        model.save_pretrained(tmp_path / name)
        tokenizer.save_pretrained(tmp_path / name)
    tasks_file = tmp_path / "tasks.jsonl"
    chosen = [tasks[0], *[t for t in tasks if t.split == "eval"][:2]]
    tasks_file.write_text("".join(json.dumps(t.to_json()) + "\n" for t in chosen))
    args = [f"model.path={tmp_path / 'm'}", f"task.path={tasks_file}", f"eval.compare={{base: {tmp_path / 'base'}}}",
            "eval.n_samples=2", "eval.ks=[1,2]", "sampling.max_new_tokens=8", "eval.decoding_sweep=true",
            "eval.sweep_presets=[default,greedy]"]
    proc = eval_cli(tmp_path, *args)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "pass@1 ± standard error" in proc.stdout and "0.000 ± 0.000 (n=2)" in proc.stdout
    assert "eval: canonical check eval: 2/2 pass" in proc.stdout  # a task file of the user's: its references checked
    run_dir = tmp_path / "out/eval/java_bst_tiny"
    report = json.loads((run_dir / "eval.json").read_text())
    assert set(report) == {"model", "results", "compare", "sweep"} and set(report["compare"]) == {"base"}
    for results in (report["results"], report["compare"]["base"]["results"]):
        assert set(results) == {"eval", "train"}  # the experiment's eval.extra_splits=[train]
        for decoding in ("greedy", "sampled"):
            assert set(results["eval"][decoding]) >= {"pass@1", "pass@1_se", *EVAL_FIELDS}
    assert "pass@2" in report["results"]["eval"]["sampled"] and report["results"]["eval"]["sampled"]["n_tasks"] == 2
    assert report["results"]["eval"]["sampled"]["compile_rate"] == 0.0  # 8 random tokens never compile
    assert set(report["sweep"]) == {"default", "greedy"}
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["eval/model"] for r in rows] == ["model", "base"]
    assert rows[0][eval_key("pass@2", "eval", "sampled")] == 0.0 and eval_key("pass@1", "train", "greedy") in rows[0]
    samples = (run_dir / "samples.jsonl").read_text()

    proc = eval_cli(tmp_path, *args, "resume=true")  # a finished eval: nothing to redo, nothing doubled
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len((run_dir / "metrics.jsonl").read_text().splitlines()) == 2
    assert (run_dir / "samples.jsonl").read_text() == samples
    assert json.loads((run_dir / "eval.json").read_text()) == report

    (run_dir / "eval.json").write_text(json.dumps(report)[:40])  # torn by hand (rlvr writes it whole, then renames)
    proc = eval_cli(tmp_path, *args, "resume=true")
    assert proc.returncode == 0 and "is unreadable" in proc.stdout, proc.stderr[-2000:]
    again = json.loads((run_dir / "eval.json").read_text())  # evaluated again: the same seeded numbers
    assert [again[k] for k in ("model", "results", "compare")] == [report[k] for k in ("model", "results", "compare")]
    assert again["sweep"].keys() == report["sweep"].keys()  # (its rows hold seconds too)


@pytest.mark.parametrize("override,message", [
    ("eval.n_samples=0", "eval.n_samples=0"), ("eval.ks=[1,20]", "eval.ks=[1, 20]"),
    ("sampling.batch_size=0", "sampling.batch_size=0"), ("eval.split=nonesuch", "no tasks with split 'nonesuch'"),
])
def test_bad_config_exits_2_with_one_line(tmp_path, override, message):
    proc = eval_cli(tmp_path, "model.path=/no/such/model", override)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
