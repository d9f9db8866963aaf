"""A run's provenance (.hydra/) is written when the run starts, never by a refused start."""
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
