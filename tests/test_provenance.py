"""A run's provenance (.hydra/) is written when the run starts, never by a refused start."""
import subprocess
import sys

from rlvr.runlog import RunLog


def _sft(out_dir, *overrides):
    return subprocess.run([sys.executable, "-m", "rlvr.sft", "+exp=java_bst_tiny", f"out_dir={out_dir}",
                           f"model.path={out_dir}/no_model", *overrides],
                          capture_output=True, text=True, timeout=120)


def test_refused_start_leaves_the_existing_runs_config_alone(tmp_path):
    first = _sft(tmp_path)  # passes the config checks, starts the run, then fails to load the model
    assert first.returncode != 0
    config = tmp_path / "sft/java_bst_tiny/.hydra/config.yaml"
    assert config.exists() and "no_model" in config.read_text()
    RunLog(tmp_path / "sft/java_bst_tiny", "sft", resume=True).log(0, {"sft/round": 0})  # a run now lives here
    before = config.read_text()

    refused = _sft(tmp_path, "sft.lr=0.5")
    assert refused.returncode != 0 and "already holds a run" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert config.read_text() == before  # the refused overrides are not recorded
    assert not list((tmp_path / "sft/java_bst_tiny").glob("*.log"))  # nor did Hydra's job log appear
