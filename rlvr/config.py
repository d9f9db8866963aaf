"""Structured configs: the one place every default lives.

YAML under conf/ holds choices and deltas only; these dataclasses are registered as Hydra schemas,
so a typo'd key or a wrong type fails at composition with Hydra's own error. Below `main()` the
stages see plain objects (`to_object`).
"""
from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from rlvr.verifier.config import VerifierConfig

ROOT = Path(__file__).resolve().parent.parent  # repo root: data/, conf/, launch/ live here
CONF_DIR = ROOT / "conf"
if not OmegaConf.has_resolver("rlvr_root"):
    OmegaConf.register_new_resolver("rlvr_root", lambda: str(ROOT))


class ConfigError(ValueError):
    """A config value that composes but cannot work; the message names the key and a fix."""


def at_least(low, note: str = "") -> tuple:
    return lambda v: v >= low, f"must be >= {low}{note}"


def one_of(*choices: str) -> tuple:
    return lambda v: v in choices, f"expected {' | '.join(choices)}"


POSITIVE = (lambda v: v > 0, "must be > 0")  # NaN fails every rule too
FRACTION = (lambda v: 0 <= v <= 1, "a fraction, 0-1")


def require(prefix: str, section, rules: dict[str, tuple]) -> None:
    """rules: {"field names": (ok(value), what it must be)}; the first field that fails raises one
    line naming it and its value, e.g. `grpo.lr=-1.0: must be > 0`."""
    for keys, (ok, need) in rules.items():
        for key in keys.split():
            value = getattr(section, key)
            if not ok(value):
                raise ConfigError(f"{prefix}{key}={value!r}: {need}")


@dataclass
class ModelConfig:
    # HF model dir or nanoGPT ckpt.pt; empty = random init from the shape below (benchmarks only)
    path: str = ""
    tokenizer: Optional[str] = None  # tokenizer dir for a nanoGPT ckpt.pt (HF dirs carry their own)
    dtype: str = "float32"  # float32 | bfloat16 | float16
    # shape, used by pretrain and random init; a loaded model keeps its own
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    n_positions: int = 1024
    vocab_size: int = 2048


@dataclass
class TaskConfig:
    name: str = "java_bst"
    path: str = "${rlvr_root:}/data/java_bst/tasks.jsonl"


@dataclass
class SamplingConfig:
    # chosen by `rlvr.eval eval.decoding_sweep=true` on the tiny default's train prompts (README
    # "Decoding"): top-k 50 + top-p 0.95 passed 0.151 vs 0.098 for plain T=0.8; the seeds' penalties 0.000
    temperature: float = 0.8  # 0 = greedy
    top_k: int = 50  # 0 = off
    top_p: float = 0.95
    repetition_penalty: float = 1.0  # >1 penalises identifiers code must repeat: measure first
    no_repeat_ngram_size: int = 0  # Java repeats `}\n    }` legitimately: off by default
    max_new_tokens: int = 192
    batch_size: int = 32  # prompts x samples per generate() call

    def check(self) -> None:
        require("sampling.", self, {"max_new_tokens batch_size": at_least(1),
                                    "temperature": at_least(0, " (0 = greedy)"),
                                    "top_k no_repeat_ngram_size": at_least(0, " (0 = off)"),
                                    "top_p": (lambda v: 0 < v <= 1, "must be in (0, 1]"),
                                    "repetition_penalty": POSITIVE})


@dataclass
class PretrainConfig:
    # corpus from the task set's build script (data/<task>/build_tasks.py); eval methods never enter it
    variants_per_class: int = 400
    # a fixed step count, never wall-clock, so every machine builds the same model (java_bst_tiny's
    # old 20-minute budget reached 899-904 steps)
    steps: int = 900
    batch_size: int = 8
    block_size: int = 512  # windows sit at random offsets, so all n_positions are trained at half the cost of 1024
    lr: float = 3e-3
    warmup_steps: int = 20
    tokenizer_vocab: int = 2048
    eval_every: int = 200

    def check(self, model: "ModelConfig") -> None:
        require("pretrain.", self, {"steps batch_size block_size variants_per_class eval_every": at_least(1),
                                    "lr": POSITIVE, "warmup_steps": at_least(0),
                                    # byte-level BPE: 256 bytes and the end-of-text token before any merge
                                    "tokenizer_vocab": at_least(257)})
        require("model.", model, {"n_layer n_head n_embd n_positions": at_least(1)})
        if model.n_embd % model.n_head:
            raise ConfigError(f"model.n_embd={model.n_embd}, model.n_head={model.n_head}: n_embd a multiple of n_head")


@dataclass
class SFTConfig:
    rounds: int = 3
    k: int = 8  # samples per train prompt per round
    # train prompts rolled out per round, a seeded sample drawn anew each round; 0 = all. The tiny
    # default has 1,018 train prompts: all of them x k a round would take most of its CPU budget
    prompts_per_round: int = 0
    eval_prompts: int = 0  # held-out prompts scored after each round (a fixed seeded sample); 0 = all
    min_reward: float = 2.0  # accept samples with reward >= this (2 = compiles and passes tests)
    # if a round accepts nothing, that round (only) retries at this threshold
    fallback_min_reward: Optional[float] = None
    # false: continue from the last round's weights, replaying every earlier round's accepted rows;
    # true: fine-tune the base model each round on this round's rows (ReST-EM). rlvr/sft.py says which won
    from_base: bool = False
    max_per_prompt: int = 4  # unique accepted completions kept per prompt
    epochs: float = 2.0
    # fine-tuning on a few dozen rows: far below the pretraining lr. On the tiny default 1e-3 wrecked
    # the model (train greedy pass@1 0.42 -> 0.02) where 2e-4 helped (0.42 -> 0.43, sampled 0.10 -> 0.13)
    lr: float = 5e-5
    batch_size: int = 16
    # tokens of prompt + completion; 0 = the model's context. TRL cuts longer rows at the END, so a
    # limit below prompt length silently trains on no completion tokens at all (512 did, here)
    max_length: int = 0

    def check(self) -> None:
        require("sft.", self, {"rounds k max_per_prompt batch_size": at_least(1), "epochs lr": POSITIVE,
                               "prompts_per_round eval_prompts": at_least(0, " (0 = all)"),
                               "max_length": at_least(0, " (0 = the model's context)")})
        if self.fallback_min_reward is not None and self.fallback_min_reward > self.min_reward:
            raise ConfigError(f"sft.fallback_min_reward={self.fallback_min_reward} is above sft.min_reward="
                              f"{self.min_reward}: a fallback must lower the threshold")


GRPO_LOSS_TYPES = ("grpo", "bnpo", "dr_grpo", "dapo", "cispo", "sapo")  # TRL's token-level losses


@dataclass
class GRPOConfig:
    steps: int = 30
    num_generations: int = 8  # G: completions per prompt (group size)
    per_device_batch: int = 16  # completions per device per step (TRL counts completions)
    grad_accum: int = 1
    lr: float = 1e-5  # GPT-2-124M class (unmeasured); the tiny default uses 2e-5 (conf/exp/java_bst_tiny.yaml)
    beta: float = 0.0  # KL coefficient; >0 loads a reference model
    loss_type: str = "dapo"  # grpo | bnpo | dr_grpo | dapo | cispo | sapo
    scale_rewards: str = "group"  # group | batch | none
    # optimizer steps per generated batch (PPO's mu). At 1 training is on-policy: the importance ratio is
    # exactly 1 and the clip below never acts; at >1 the batch is reused and clipped to [1-epsilon, 1+epsilon_high]
    num_iterations: int = 1
    epsilon: float = 0.2
    epsilon_high: Optional[float] = None  # None = epsilon
    mask_truncated_completions: bool = False  # no loss on completions whose method never closed within the cap
    save_every: int = 10  # checkpoints/step_<N>/ every N steps; 0 = only final/
    logging_steps: int = 1
    report_to: list[str] = field(default_factory=list)  # e.g. [tensorboard]
    lr_scheduler: str = "constant"  # any transformers scheduler name (constant, cosine, linear ...)
    warmup_steps: int = 0
    disable_dropout: bool = True  # dropout makes the loss-path log-probs disagree with the sampled ones
    # generation backend: off (HF generate, stops each row where its method closes) | colocate (vLLM in
    # the training process) | server (`trl vllm-serve` at vllm_host:vllm_port); vLLM rows are cut at the close
    vllm: str = "off"
    vllm_host: str = "127.0.0.1"
    vllm_port: int = 8000
    vllm_gpu_memory: float = 0.3  # colocate: share of GPU memory vLLM takes

    def check(self) -> None:
        """Every value, before any model or JVM is touched; batch shapes are rlvr.grpo.check_config's."""
        require("grpo.", self, {
            "steps per_device_batch grad_accum num_iterations logging_steps": at_least(1),
            "num_generations": (lambda v: v >= 2, "a group needs >= 2 completions"),
            "save_every warmup_steps beta": at_least(0), "lr epsilon": POSITIVE,
            "epsilon_high": (lambda v: v is None or v > 0, "must be > 0 (null = epsilon)"),
            "loss_type": one_of(*GRPO_LOSS_TYPES), "scale_rewards": one_of("group", "batch", "none"),
            "vllm": one_of("off", "colocate", "server"), "vllm_port": (lambda v: 0 < v < 65536, "a port, 1..65535"),
            "vllm_gpu_memory": (lambda v: 0 < v <= 1, "a share of GPU memory, in (0, 1]")})
        if self.num_iterations == 1 and (self.epsilon != GRPOConfig.epsilon or self.epsilon_high is not None):
            raise ConfigError("grpo.epsilon / grpo.epsilon_high clip the importance ratio, which is exactly 1 while "
                              "grpo.num_iterations=1 (on-policy): set grpo.num_iterations >= 2 for them to act")
        import torch
        from transformers import get_scheduler
        from transformers.integrations import get_available_reporting_integrations
        from transformers.trainer_utils import SchedulerType

        if self.lr_scheduler not in [s.value for s in SchedulerType]:
            raise ConfigError(f"grpo.lr_scheduler={self.lr_scheduler!r}: expected one of "
                              f"{sorted(s.value for s in SchedulerType)}")
        try:  # some need arguments rlvr does not pass (cosine_with_min_lr: min_lr): built once here, as TRL will
            get_scheduler(self.lr_scheduler, torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0),
                          num_warmup_steps=self.warmup_steps, num_training_steps=self.steps)
        except Exception as e:
            raise ConfigError(f"grpo.lr_scheduler={self.lr_scheduler}: {str(e).strip()[:200]} (rlvr passes no "
                              "scheduler arguments: use constant, linear, cosine ...)") from None
        unknown = [r for r in self.report_to if r not in ("none", "all", *get_available_reporting_integrations())]
        if unknown:
            raise ConfigError(f"grpo.report_to={list(self.report_to)}: {unknown} unknown or not installed (installed: "
                              f"{get_available_reporting_integrations()})")
        if self.vllm != "off" and importlib.util.find_spec("vllm") is None:
            raise ConfigError(f"grpo.vllm={self.vllm} but vLLM is not installed: pip install vllm (CUDA; ROCm: see "
                              f"the README's vLLM section), or grpo.vllm=off")


@dataclass
class MonitorConfig:
    audit_every: int = 5  # steps between sample audits; 0 = never
    audit_prompts: int = 4  # fixed train prompts audited greedy + sampled
    # coherence gate (seed 002 counts samples): an audit is collapsed for a decoding when more than gate_frac
    # of its samples score under gate_threshold; gate_patience such audits in a row (greedy or sampled) halt
    gate_threshold: float = 30.0  # coherence score (0-100)
    gate_frac: float = 0.5
    gate_patience: int = 5
    truncated_warn: float = 0.5
    zero_std_warn: float = 0.8
    entropy_floor: float = 0.05
    reward_std_floor: float = 0.01  # reward std over the batch below this: no learning signal at all

    def check(self) -> None:
        require("monitor.", self, {"audit_every audit_prompts entropy_floor reward_std_floor": at_least(0),
                                   "gate_patience": at_least(1),
                                   "gate_threshold": (lambda v: 0 <= v <= 100, "a coherence score, 0-100"),
                                   "gate_frac truncated_warn zero_std_warn": FRACTION})


@dataclass
class EvalConfig:
    split: str = "eval"
    # more splits of the task file evaluated beside it, e.g. [train]: how far training moved the
    # prompts it saw (a tiny model can improve there long before the held-out split moves)
    extra_splits: list[str] = field(default_factory=list)
    n_samples: int = 10  # sampled completions per prompt, for pass@k
    ks: list[int] = field(default_factory=lambda: [1, 5, 10])
    benchmarks: list[str] = field(default_factory=list)  # HumanEval-X / MBJP jsonl paths
    benchmark_limit: int = 0  # first N problems of each benchmark; 0 = all
    decoding_sweep: bool = False
    sweep_presets: list[str] = field(default_factory=lambda: ["default", "greedy", "strict", "plain"])
    sweep_split: str = "train"  # presets are chosen on train prompts, so the held-out split stays clean
    compare: dict[str, str] = field(default_factory=dict)  # label -> model path, evaluated beside model.path

    def check(self) -> None:
        if self.n_samples < 1 or not self.ks or any(k < 1 or k > self.n_samples for k in self.ks):
            raise ConfigError(f"eval.n_samples={self.n_samples}, eval.ks={list(self.ks)}: need n_samples >= 1 and "
                              f"every k in 1..n_samples (pass@k needs k samples)")
        require("eval.", self, {"benchmark_limit": at_least(0, " (0 = all)")})


@dataclass
class LaunchConfig:
    bf16: bool = False
    activation_checkpointing: bool = False
    optim: str = "adamw_torch"  # adamw_bnb_8bit for 760M on 12 GB
    deepspeed: Optional[str] = None  # path to a DeepSpeed JSON, e.g. launch/ds_zero2.json
    # most completions one device holds in a forward/backward (memory); a larger grpo.per_device_batch
    # is split into micro-batches with gradient accumulation, so completions per step stay the same. 0 = no cap
    max_device_batch: int = 0

    def check(self) -> None:
        require("launch.", self, {"max_device_batch": at_least(0, " (0 = no cap)")})
        if self.deepspeed and not Path(self.deepspeed).is_file():
            raise ConfigError(f"launch.deepspeed={self.deepspeed}: no such file (e.g. launch/ds_zero2.json)")
        from transformers.training_args import OptimizerNames

        if self.optim not in [o.value for o in OptimizerNames]:
            raise ConfigError(f"launch.optim={self.optim!r}: not a transformers optimizer name (adamw_torch, "
                              f"adamw_torch_fused, adamw_bnb_8bit ...)")


@dataclass
class RunConfig:
    """Fields every stage has; the stage sections below are optional per stage."""

    stage: str = "???"
    name: str = "default"  # experiment name, set by conf/exp/*.yaml
    run: str = "${name}"  # run dir name: fixed, identical on every rank (never ${now:})
    out_dir: str = "outputs"
    resume: bool = False
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda
    # torch threads per process. Measured idle on the 2-core CPU machine: 2 threads sample 1.4x and train
    # 1.46x faster than 1. Sums reduce in another order, so digits move: 1,000 pretraining steps end at
    # val loss 0.13060 with 2 threads, 0.13041 with 1: a reproduced table needs the same `threads`.
    threads: int = 2
    model: ModelConfig = field(default_factory=ModelConfig)
    task: TaskConfig = field(default_factory=TaskConfig)
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    verifier: VerifierConfig = field(default_factory=VerifierConfig)
    launch: LaunchConfig = field(default_factory=LaunchConfig)
    pretrain: PretrainConfig = field(default_factory=PretrainConfig)
    sft: SFTConfig = field(default_factory=SFTConfig)
    grpo: GRPOConfig = field(default_factory=GRPOConfig)
    monitor: MonitorConfig = field(default_factory=MonitorConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)

    @property
    def run_dir(self) -> Path:
        return Path(self.out_dir) / self.stage / self.run

    def check(self) -> None:
        require("", self, {"threads": at_least(1, " (torch threads per process)"),
                           "device": (lambda v: v in ("auto", "cpu") or re.fullmatch(r"cuda(:\d+)?", v),
                                      "expected auto | cpu | cuda (or cuda:N)")})
        import torch

        if self.device.startswith("cuda") and not torch.cuda.is_available():
            raise ConfigError(f"device={self.device}: torch sees no GPU here (a CPU build of torch?): device=auto or cpu")


def register_configs() -> None:
    cs = ConfigStore.instance()
    cs.store(name="rlvr_schema", node=RunConfig)
    for group, node in [("model", ModelConfig), ("task", TaskConfig), ("sampling", SamplingConfig),
                        ("verifier", VerifierConfig), ("launch", LaunchConfig)]:
        cs.store(group=group, name=f"{group}_schema", node=node)


register_configs()  # at import: every stage's @hydra.main needs the schemas before it composes


def unknown_keys(node, prefix: str = "") -> list[str]:
    """Keys of a composed config that its dataclass lacks: Hydra's `+key=value` adds them past the schema."""
    schema = OmegaConf.get_type(node)
    if not dataclasses.is_dataclass(schema):
        return []
    names = {f.name for f in dataclasses.fields(schema)}
    found = []
    for key, child in node.items_ex(resolve=False):
        if key not in names:
            found.append(f"{prefix}{key}")
        elif isinstance(child, DictConfig):
            found += unknown_keys(child, f"{prefix}{key}.")
    return found


def to_object(cfg) -> RunConfig:
    """Hydra DictConfig -> plain RunConfig (resolves interpolations, keeps dataclass types)."""
    unknown = unknown_keys(cfg)
    if unknown:
        raise ConfigError(f"unknown config key(s) {unknown}: a typo? (`+key=value` adds a key no stage reads)")
    return OmegaConf.to_object(cfg)


def compose(stage: str, overrides: list[str] = ()) -> RunConfig:
    """Compose a stage's config outside @hydra.main (tests, notebooks) -> plain RunConfig."""
    from hydra import compose as hydra_compose, initialize_config_dir

    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        return to_object(hydra_compose(config_name=stage, overrides=list(overrides)))


def resolve_device(cfg: RunConfig) -> str:
    import torch

    return cfg.device if cfg.device != "auto" else "cuda" if torch.cuda.is_available() else "cpu"


def check_common(cfg: RunConfig) -> None:
    """Checks every sampling stage shares (the stage adds its own)."""
    if not cfg.model.path:
        raise ConfigError("model.path is empty: set model.path=DIR_OR_CKPT (an HF model dir or a nanoGPT ckpt.pt)")
    cfg.check()
    cfg.sampling.check()


def run_stage(stage: str, run, dict_cfg) -> None:
    """A stage's main(): runs it; a config or input the user can fix ends the process with one line
    naming it (exit 2), a verifier pool that failed mid-run with one line too (exit 1), never a traceback."""
    from rlvr.models import ModelLoadError
    from rlvr.rollout import SandboxFailure
    from rlvr.runlog import RunDirExists
    from rlvr.tasks import TaskFileError

    try:
        run(to_object(dict_cfg))
        return
    except (ConfigError, ModelLoadError, TaskFileError, FileNotFoundError, RunDirExists) as e:
        message, code = str(e), 2
    except SandboxFailure as e:  # the pool, not the input, failed (grpo's PoolFailure too)
        message, code = str(e), 1
    except OSError as e:  # a file or dir named in the config that cannot be read or written
        if e.filename is None:
            raise
        message, code = f"{e.filename}: {e.strerror} (check out_dir, run and the paths given)", 2
    print(f"rlvr.{stage}: error: {message}", file=sys.stderr)
    sys.exit(code)
