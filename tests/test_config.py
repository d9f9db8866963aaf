"""Every stage composes with every experiment; typos and wrong types fail at composition."""
import pytest
from hydra.errors import ConfigCompositionException
from omegaconf.errors import ConfigKeyError, ValidationError

from rlvr.config import CONF_DIR, RunConfig, compose

STAGES = ("pretrain", "sft", "grpo", "eval")  # the stages with a conf/<stage>.yaml

EXPERIMENTS = sorted(p.stem for p in (CONF_DIR / "exp").glob("*.yaml"))
PRESETS = {g: sorted(p.stem for p in (CONF_DIR / g).glob("*.yaml"))
           for g in ("model", "sampling", "verifier", "launch", "task")}


def test_experiments_exist():
    assert {"java_bst", "java_bst_tiny"} <= set(EXPERIMENTS)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("exp", EXPERIMENTS)
def test_every_stage_composes_with_every_experiment(stage, exp):
    cfg = compose(stage, [f"+exp={exp}", "model.path=/some/model"])
    assert isinstance(cfg, RunConfig)
    assert cfg.stage == stage and cfg.name == exp
    assert cfg.run_dir.parts[-2:] == (stage, cfg.run)  # one fixed run name, never a timestamp


@pytest.mark.parametrize("group,preset", [(g, p) for g, ps in PRESETS.items() for p in ps])
def test_every_preset_composes(group, preset):
    compose("grpo", [f"{group}={preset}", "model.path=/some/model"])


def test_every_yaml_opens_with_its_command():
    for path in CONF_DIR.rglob("*.yaml"):
        first = next(line for line in path.read_text().splitlines() if not line.startswith("# @package"))
        assert first.startswith("# ") and ("python -m rlvr" in first or "accelerate launch" in first), path


def test_typo_key_fails():
    with pytest.raises(ConfigCompositionException):
        compose("sft", ["sft.kk=3"])


def test_wrong_type_fails():
    with pytest.raises((ConfigCompositionException, ValidationError)):
        compose("sft", ["sft.k=many"])


def test_tiny_chain_paths():
    sft = compose("sft", ["+exp=java_bst_tiny"])
    grpo = compose("grpo", ["+exp=java_bst_tiny"])
    assert sft.model.path.endswith("pretrain/java_bst_tiny/final")
    assert grpo.model.path.endswith("sft/java_bst_tiny/final")  # GRPO starts from the SFT output
