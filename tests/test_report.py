"""rlvr.report on run dirs built here: a realistic SFT + GRPO pipeline, and the broken ones
(empty, killed mid-write, NaN/null values, no samples.jsonl, no .hydra/), plus a 10k-step run."""
from __future__ import annotations

import json
import math
import random
import re
import time

import pytest

from rlvr import report

PROMPT = "\n".join(["public class BST {", "    static class Node { int key; Node left, right; }",
                    *[f"    // helper line {i}" for i in range(20)],
                    "    /** Returns true if key is in the tree rooted at node. */",
                    "    static boolean contains(Node node, int key) {"])
GOOD = "        if (node == null) return false;\n        // walk down\n        return key < node.key ? contains(node.left, key) : contains(node.right, key);\n    }\n}\n"
ERRORS = {  # status -> (completion, error)
    "compile_error": [
        ("        return foo(node);\n    }\n}\n",
         "BST.java:25: error: cannot find symbol\n        return foo(node);\n               ^\n  symbol:   method foo(Node)"),
        ("        return bar;\n    }\n}\n",
         "BST.java:31: error: cannot find symbol\n        return bar;\n  symbol:   variable bar"),
        ("        int x = 1\n    }\n}\n", "BST.java:25: error: ';' expected\n        int x = 1"),
        ("        if (node != null) { return true; }\n    }\n}\n", "BST.java:27: error: missing return statement\n    }"),
    ],
    "test_failure": [(GOOD.replace("<", ">"), "FAIL contains(5): expected true, got false")],
    "runtime_error": [("        return node.key == key;\n    }\n}\n",
                       "Exception in thread \"main\" java.lang.NullPointerException\n\tat BST.contains(BST.java:25)")],
}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def sample(stage, step, rng, status=None, n_tokens=40):
    status = status or rng.choice(["pass", "pass", "compile_error", "test_failure", "runtime_error"])
    completion, error = (GOOD, "") if status == "pass" else rng.choice(ERRORS[status])
    entropy = [round(rng.uniform(0.1, 0.4), 3) for _ in range(n_tokens)]
    entropy[n_tokens * 3 // 4] = 4.5  # a spike the report should mark
    return {"stage": stage, "step": step, "task_id": f"bst_{rng.randrange(5)}", "prompt": PROMPT,
            "completion": completion, "reward": {"pass": 2.0, "test_failure": 1.0, "runtime_error": 1.0}.get(status, 0.0),
            "status": status, "error": error, "entropy": entropy, "coherence": round(rng.uniform(50, 100), 1),
            "decoding": "sampled"}


def make_run(root, stage, name, steps, overrides, rng, samples_every=1, hydra=True, lr=1e-5):
    run = root / "outputs" / stage / name
    run.mkdir(parents=True)
    rows = []
    for step in range(steps):
        progress = step / max(1, steps - 1)
        row = {"stage": stage, "step": step, "time": 1000.0 + step,
               "reward/mean": 0.6 + 1.2 * progress + rng.uniform(-0.1, 0.1), "reward/std": 0.4,
               "reward/compile_rate": 0.5 + 0.4 * progress, "reward/pass_rate": 0.2 + 0.5 * progress,
               "entropy/mean": 0.8 - 0.3 * progress, "completions/mean_length": 80 + rng.uniform(-5, 5),
               "completions/truncated_frac": 0.05, "coherence/score": 85 - 10 * progress,
               "loss": 1.0 - 0.5 * progress, "lr": lr, "time/generate_s": 2.0, "time/verify_s": 0.5}
        if stage == "grpo":
            row.update({"kl": 0.01 * progress, "groups/zero_std_frac": 0.3, "grad_norm": 1.0,
                        "rewards/compile/mean": row["reward/compile_rate"], "verifier/programs_per_s": 40.0})
            row["coherence/threshold"] = 35.0  # logged threshold wins over the config's 30
            if step % 5 == 0:  # grpo's audit: coherence (0-100) of fixed prompts
                row.update({"audit/coherence": 80 - 40 * progress, "warn/truncated": int(progress > 0.8)})
        else:  # rlvr.sft evaluates every round on the held-out split; round 0 is the base model
            row.update({"sft/round": step, "sft/accepted": 10 + step, "sft/unique_accepted": 8 + step,
                        "sft/trivial_frac": 0.1, "eval/pass@1": 0.1 + 0.05 * step, "eval/pass@5": 0.3 + 0.05 * step,
                        "eval/greedy_pass@1": 0.125 + 0.05 * step, "eval/humaneval_x/pass@1": 0.01})
        rows.append(row)
    if stage == "grpo":
        rows.append({"stage": "eval", "step": steps - 1, "time": 5000.0, "eval/pass@1": 0.42, "eval/pass@5": 0.61,
                     "eval/compile_rate": 0.9, "eval/greedy_pass@1": 0.45})
    write_jsonl(run / "metrics.jsonl", rows)
    write_jsonl(run / "samples.jsonl", [sample(stage, step, rng) for step in range(0, steps, samples_every) for _ in range(4)])
    if hydra:
        (run / ".hydra").mkdir()
        (run / ".hydra" / "config.yaml").write_text(
            f"model:\n  path: out/{stage}\n  dtype: float32\n{stage}:\n  lr: {lr}\n  steps: {steps}\nseed: 0\n"
            "monitor:\n  gate_threshold: 30.0\n")
        (run / ".hydra" / "overrides.yaml").write_text("".join(f"- {o}\n" for o in overrides))
    return run


@pytest.fixture
def pipeline(tmp_path):
    rng = random.Random(0)
    sft = make_run(tmp_path, "sft", "r1", 3, ["+exp=java_bst_tiny", "run=r1"], rng, lr=5e-4)
    (sft / "round_2").mkdir()
    (sft / "round_2" / "eval.json").write_text(json.dumps({"model": "sft/round_2", "results": {
        "eval": {"greedy": {"pass@1": 0.25, "compile_rate": 0.7}, "sampled": {"pass@1": 0.21, "pass@5": 0.48}}}}))
    grpo = make_run(tmp_path, "grpo", "r1", 30, ["+exp=java_bst_tiny", "run=r1", "grpo.lr=1e-5"], rng)
    # a passing but trivial sample: the hacking watch must count it
    with (grpo / "samples.jsonl").open("a") as f:
        f.write(json.dumps({**sample("grpo", 29, rng, "pass"), "completion": "        return null;\n    }\n}\n"}) + "\n")
    (grpo / "eval.json").write_text(json.dumps({"model": "grpo/final", "results": {
        "eval": {"greedy": {"pass@1": 0.375, "compile_rate": 0.9}, "sampled": {"pass@1": 0.333, "pass@5": 0.625}},
        "humaneval_x": {"greedy": {"pass@1": 0.05}}}, "sweep": {"t0.8": {"pass@1": 0.3}},
        "compare": {"base": {"path": "pretrain/final", "results": {"eval": {"greedy": {"pass@1": 0.0625}}}}}}))
    return sft, grpo


def test_pipeline_html(pipeline, tmp_path, capsys):
    sft, grpo = pipeline
    index = report.main([str(sft), str(grpo), "--out", str(tmp_path / "rep")])
    page = index.read_text()
    assert index == tmp_path / "rep" / "index.html"
    for png in ("rewards.png", "health.png", "metrics_sft.png", "metrics_eval.png", "entropy_run0.png", "entropy_run1.png"):
        assert (tmp_path / "rep" / png).exists(), png
    assert page.count('src="data:image/png;base64,') >= 6
    assert not re.search(r"https?://", page)  # opens from disk, nothing fetched
    passk = re.search(r'id="pass-k".*?</table>', page, re.S).group(0)
    for value in ("0.375", "0.625", "0.480", "0.100", "0.200", "0.062", "humaneval_x", "sweep: t0.8"):
        assert value in passk, value
    assert "0.420" not in passk  # grpo's own eval row duplicates its eval.json
    headers = re.findall(r"<th>([^<]*)</th>", passk)[3:]
    assert [h.split(" · ")[0] for h in headers] == ["sft step 0", "sft step 2", "sft/round_2", "base (pretrain/final)", "grpo/final"]
    assert '<span class="kw">return</span>' in page and '<span class="com">// walk down</span>' in page
    assert "&lt;" in page and "<details>" in page
    for group in ("cannot find symbol", "missing return statement", "&#x27;;&#x27; expected", "NullPointerException"):
        assert group in page, group
    failures = re.search(r'id="top-failure-reasons".*?</table>', page, re.S).group(0)
    assert "bar" not in re.sub(r"<pre.*?</pre>", "", failures, flags=re.S)  # identifiers normalised out of keys
    assert report._gate(report.load_run(grpo)) == 35.0 and report._gate(report.load_run(sft)) == 30.0  # gate line
    assert "grpo/r1: monitor warnings fired: warn/truncated" in page
    assert "grpo.lr=1e-5" in page  # label = the override telling the runs apart
    hacking = re.search(r'id="reward-hacking-watch".*?</table>', page, re.S).group(0)
    assert "<td>grpo.lr=1e-5</td>" in hacking and "<td class=n>1</td>" in hacking  # the one `return null;`
    assert "grpo.lr" in page and "5e-4" in page or "0.0005" in page  # config diff
    assert "rlvr report" in capsys.readouterr().out  # rich summary table


def test_markdown(pipeline, tmp_path):
    sft, grpo = pipeline
    md = report.main([str(sft), str(grpo), "--format", "md", "--smooth", "5"])
    assert md == sft / "report" / "report.md"
    text = md.read_text()
    assert "| split | decoding | metric |" in text and "0.625" in text and "![rewards](rewards.png)" in text
    assert "cannot find symbol" in text


def test_steps_choice(pipeline, tmp_path):
    _, grpo = pipeline
    page = report.main([str(grpo), "--steps", "3,17"]).read_text()
    assert "<h4>step 3</h4>" in page and "<h4>step 17</h4>" in page and "<h4>step 29</h4>" not in page


def test_broken_runs(tmp_path):
    rng = random.Random(1)
    empty = tmp_path / "outputs" / "grpo" / "empty"
    empty.mkdir(parents=True)
    killed = make_run(tmp_path, "grpo", "killed", 10, ["run=killed"], rng)
    with (killed / "metrics.jsonl").open("a") as f:
        f.write(json.dumps({"stage": "grpo", "step": 9, "gate/halted": 1, "gate/reason": "coherence gate: below 30"}))
        f.write('\n{"stage": "grpo", "step": 10, "reward/me')  # killed mid-write
    nan = make_run(tmp_path, "grpo", "nan", 10, ["run=nan"], rng, hydra=False)
    rows = [json.loads(line) for line in (nan / "metrics.jsonl").read_text().splitlines()]
    for row in rows[::2]:
        row.update({"reward/mean": None, "kl": None, "entropy/mean": math.nan, "coherence/score": "n/a"})
    (nan / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))  # json writes NaN literally
    no_samples = make_run(tmp_path, "grpo", "nosamples", 5, ["run=nosamples"], rng)
    (no_samples / "samples.jsonl").unlink()
    page = report.main([str(empty), str(killed), str(nan), str(no_samples), "--out", str(tmp_path / "rep")]).read_text()
    assert "no metrics.jsonl in grpo/empty: curves skipped" in page
    assert "no samples.jsonl in grpo/nosamples: sample audit skipped" in page
    assert "unreadable line(s) in metrics.jsonl of grpo/killed" in page
    assert "no .hydra/config.yaml in grpo/nan" in page
    assert "grpo/killed halted at step 9: coherence gate: below 30" in page
    assert (tmp_path / "rep" / "rewards.png").exists()

    only_empty = report.main([str(empty)]).read_text()  # nothing at all: still a page
    assert "no metrics to plot" in only_empty and "pass@k table skipped" in only_empty


def test_pure_helpers():
    assert report.normalise_error("compile_error", "A.java:3: error: incompatible types: int cannot be converted to String") == "incompatible types"
    assert report.normalise_error("compile_error", "A.java:9: error: variable count might not have been initialized") \
        == "variable _ might not have been initialized"
    run = report.Run(path=None, label="r", samples=[
        {"status": "compiled", "reward": 1.0, "completion": "  return 0;\n  }\n}", "task_id": "a"},
        {"status": "pass", "reward": 2.0, "completion": GOOD, "task_id": "b"},
        {"status": "compile_error", "reward": 0.0, "completion": "  return;\n }", "task_id": "c"}])
    assert report.hacking_watch(run) == {"rewarded": 2, "trivial": 1, "frac": 0.5, "passing": 0, "tasks": ["a"]}
    assert report.entropy_spike([0.2] * 30 + [3.0] + [0.2] * 5) == 30 and report.entropy_spike([0.2] * 40) is None
    assert list(report.smooth([1.0, 3.0, 5.0], 2)) == [1.0, 2.0, 4.0]
    assert report.highlight_java('int s = "</pre>"; // x < 1') == ('<span class="kw">int</span> s = '
        '<span class="str">"&lt;/pre&gt;"</span>; <span class="com">// x &lt; 1</span>')


def test_ten_thousand_steps(tmp_path):
    rng = random.Random(2)
    run = make_run(tmp_path, "grpo", "long", 10_000, ["run=long"], rng, samples_every=10)
    started = time.time()
    index = report.main([str(run)])
    seconds = time.time() - started
    print(f"10k-step report: {seconds:.1f}s")
    page = index.read_text()
    assert seconds < 60
    assert page.count('class="card"') <= 3 * report.AUDIT_PER_STEP  # audit capped, not 4000 samples
    assert len(page) < 5_000_000


def test_eval_runs_feed_the_table_not_the_curves(tmp_path):
    """rlvr.eval logs one row per evaluated model: drawn on a step axis they would read as a trend."""
    run_dir = tmp_path / "eval" / "r1"
    run_dir.mkdir(parents=True)
    write_jsonl(run_dir / "metrics.jsonl", [{"stage": "eval", "step": i, "time": 1.0, "eval/model": m, "eval/pass@1": p}
                                            for i, (m, p) in enumerate([("model", 0.3), ("base", 0.1)])])
    run = report.load_run(run_dir)
    assert run.stage == "eval" and report._series(run, "eval/pass@1") is None
    headers, rows = report.passk_table([run])
    assert [h.split(" · ")[0] for h in headers] == ["model", "base"] and rows[0][1] == ["0.300", "0.100"]
