"""A run's provenance (.hydra/) is written when the run starts, never by a refused start."""
import json
import subprocess
import sys

import pytest

from rlvr.runlog import RunLog


def _stage(stage, out_dir, *overrides):
    return subprocess.run([sys.executable, "-m", f"rlvr.{stage}", "+exp=java_bst_tiny", f"out_dir={out_dir}",
                           f"model.path={out_dir}/no_model", *overrides],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("stage", ["sft", "grpo", "eval"])
def test_a_missing_model_is_refused_before_the_run_dir_exists(tmp_path, stage):
    refused = _stage(stage, tmp_path)
    assert refused.returncode == 2 and "no_model' does not exist" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout
    assert not (tmp_path / stage).exists()  # nothing to block the corrected rerun


def test_refused_start_leaves_the_existing_runs_config_alone(tmp_path):
    run_dir = tmp_path / "sft/java_bst_tiny"
    RunLog(run_dir, "sft", config={"sft": {"lr": 2e-4}}).log(0, {"sft/round": 0})  # a run lives here
    before = {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file()}
    assert (run_dir / ".hydra/config.yaml") in before

    refused = _stage("sft", tmp_path, "sft.lr=0.5")
    assert refused.returncode != 0 and "already holds a run" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file()} == before  # nothing recorded, nothing added


def test_a_resume_must_bring_the_config_the_run_was_started_with(tmp_path):
    """resume=true with another lr trained on under the old record, and rewrote it (bad-input pass)."""
    from rlvr.config import compose

    overrides = ["+exp=java_bst_tiny", f"out_dir={tmp_path}", f"model.path={tmp_path}/no_model"]
    run_dir = tmp_path / "sft/java_bst_tiny"
    RunLog(run_dir, "sft", config=compose("sft", overrides)).log(0, {"sft/round": 0})
    before = {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file()}
    refused = _stage("sft", tmp_path, "sft.lr=0.5", "resume=true")
    assert refused.returncode == 2 and "was started with another config (sft.lr: 0.0002 -> 0.5)" in refused.stderr
    assert {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file()} == before
    same = _stage("sft", tmp_path, "resume=true", "sft.rounds=5")  # how long it goes on may change
    assert same.returncode == 2 and "no_model' does not exist" in same.stderr  # past the check, to the model


def test_a_resume_drops_the_line_a_kill_tore(tmp_path):
    """The resumed run's first row was appended to the torn line, and both were lost (bad-input pass)."""
    log = RunLog(tmp_path, "grpo")
    log.log(1, {"loss": 1.0})
    log.samples(1, [{"completion": "x"}])
    for name in ("metrics.jsonl", "samples.jsonl"):
        (tmp_path / name).write_bytes((tmp_path / name).read_bytes() + b'{"stage": "grpo", "step": 2, "lo')
    resumed = RunLog(tmp_path, "grpo", resume=True)
    resumed.log(2, {"loss": 0.5})
    resumed.samples(2, [{"completion": "y"}])
    for name in ("metrics.jsonl", "samples.jsonl"):
        rows = [json.loads(line) for line in (tmp_path / name).read_text().splitlines()]
        assert [r["step"] for r in rows] == [1, 2]
