"""Every stage composes with every experiment; typos and wrong types fail at composition."""
import pytest
from hydra.errors import ConfigCompositionException
from omegaconf.errors import ConfigKeyError, ValidationError

from rlvr.config import CONF_DIR, ConfigError, RunConfig, compose, run_stage

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


def test_a_key_added_with_plus_that_no_stage_reads_fails():
    """Hydra's own hint for a typo is `+key=value`, which added the key past the schema: a run went on without it."""
    with pytest.raises(ConfigError, match=r"\['grpo.num_generation'\]"):
        compose("grpo", ["+grpo.num_generation=4"])


@pytest.mark.parametrize("stage, override, check, message", [
    ("sft", "threads=0", lambda c: c.check(), "threads=0"),
    ("eval", "device=gpu", lambda c: c.check(), "device='gpu': expected auto | cpu | cuda"),
    ("grpo", "grpo.lr_scheduler=cosine_with_min_lr", lambda c: c.grpo.check(), "min_lr"),
    ("grpo", "grpo.report_to=[nonsense]", lambda c: c.grpo.check(), "['nonsense'] unknown or not installed"),
    ("pretrain", "model.n_head=3", lambda c: c.pretrain.check(c.model), "n_embd a multiple of n_head"),
    ("pretrain", "pretrain.block_size=0", lambda c: c.pretrain.check(c.model), "pretrain.block_size=0"),
    ("pretrain", "pretrain.lr=-1", lambda c: c.pretrain.check(c.model), "pretrain.lr=-1.0"),
    ("pretrain", "pretrain.tokenizer_vocab=0", lambda c: c.pretrain.check(c.model), "must be >= 257"),
])
def test_values_that_compose_but_cannot_work_are_refused(stage, override, check, message):
    """Each of these was a traceback from torch, transformers or TRL (bad-input pass)."""
    with pytest.raises(ConfigError) as info:
        check(compose(stage, ["+exp=java_gen_tiny", override]))
    assert message in str(info.value)


def test_a_path_that_cannot_be_written_is_one_line_exit_2(tmp_path, capsys):
    (tmp_path / "a_file").write_text("")
    from omegaconf import OmegaConf

    with pytest.raises(SystemExit) as exit_info:
        run_stage("sft", lambda cfg: (tmp_path / "a_file" / "run").mkdir(parents=True), OmegaConf.structured(RunConfig(stage="sft")))
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and err.startswith("rlvr.sft: error: ") and err.count("\n") == 1, err
    assert "a_file" in err


def test_wrong_type_fails():
    with pytest.raises((ConfigCompositionException, ValidationError)):
        compose("sft", ["sft.k=many"])


def test_tiny_chain_paths():
    sft = compose("sft", ["+exp=java_bst_tiny"])
    grpo = compose("grpo", ["+exp=java_bst_tiny"])
    assert sft.model.path.endswith("pretrain/java_bst_tiny/final")
    assert grpo.model.path.endswith("sft/java_bst_tiny/final")  # GRPO starts from the SFT output
