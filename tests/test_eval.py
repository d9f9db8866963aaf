"""pass@k and the eval stage: estimator values, presets, a real CLI run writing eval.json."""
import json
import math
import subprocess
import sys

import pytest
import torch

from rlvr.config import ROOT, SamplingConfig
from rlvr.eval import load_preset
from rlvr.pretrain import train_tokenizer
from rlvr.scoring import pass_at_k
from rlvr.tasks import load_tasks

TASKS = ROOT / "data/java_bst/tasks.jsonl"


def test_pass_at_k_matches_the_combinatorial_formula():
    for n, c, k in [(10, 3, 1), (10, 3, 5), (20, 0, 5), (5, 5, 1), (10, 9, 5)]:
        exact = 1 - math.comb(n - c, k) / math.comb(n, k)
        assert pass_at_k(n, c, k) == pytest.approx(exact)
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)


def test_presets_override_only_decoding():
    base = SamplingConfig(max_new_tokens=77, batch_size=5)
    strict = load_preset("strict", base)
    assert strict.repetition_penalty > 1 and strict.no_repeat_ngram_size > 0
    assert (strict.max_new_tokens, strict.batch_size) == (77, 5)
    assert load_preset("greedy", base).temperature == 0
    with pytest.raises(ValueError, match="unknown sampling preset"):
        load_preset("nonesuch", base)


def test_eval_cli_writes_eval_json(tmp_path):
    from transformers import GPT2Config, GPT2LMHeadModel

    tasks = load_tasks(TASKS)
    tokenizer = train_tokenizer([t.prompt + t.reference for t in tasks], vocab_size=400)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=32, n_layer=1, n_head=2,
                                       eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id))
    model.save_pretrained(tmp_path / "m")
    tokenizer.save_pretrained(tmp_path / "m")
    tasks_file = tmp_path / "tasks.jsonl"
    chosen = [tasks[0], *[t for t in tasks if t.split == "eval"][:2]]
    tasks_file.write_text("".join(json.dumps(t.to_json()) + "\n" for t in chosen))
    proc = subprocess.run(
        [sys.executable, "-m", "rlvr.eval", "+exp=java_bst_tiny", f"out_dir={tmp_path / 'out'}",
         f"model.path={tmp_path / 'm'}", f"task.path={tasks_file}", "eval.compare={}", "eval.n_samples=2",
         "eval.ks=[1,2]", "sampling.max_new_tokens=8", "eval.decoding_sweep=true",
         "eval.sweep_presets=[default,greedy]"],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((tmp_path / "out/eval/java_bst_tiny/eval.json").read_text())
    for decoding in ("greedy", "sampled"):
        assert "pass@1" in report["results"]["eval"][decoding]
    assert report["results"]["eval"]["sampled"]["compile_rate"] == 0.0  # 8 random tokens never compile
    assert set(report["sweep"]) == {"default", "greedy"}
    rows = [json.loads(line) for line in (tmp_path / "out/eval/java_bst_tiny/metrics.jsonl").read_text().splitlines()]
    assert rows[0]["eval/pass@2"] == 0.0 and "eval/greedy_pass@1" in rows[0]
    # the experiment's eval.extra_splits=[train]: the train prompt is scored beside the held-out ones
    assert "pass@1" in report["results"]["train"]["sampled"] and "eval/train/greedy_pass@1" in rows[0]
