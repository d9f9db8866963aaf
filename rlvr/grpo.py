"""GRPO: reinforce what the verifier rewards (TRL's GRPOTrainer + the verifier pool).

    python -m rlvr.grpo +exp=java_bst_tiny                      # CPU, the embedded default
    accelerate launch rlvr/grpo.py +exp=java_bst                 # one GPU
    accelerate launch --config_file launch/multi_gpu.yaml rlvr/grpo.py +exp=java_bst model=gpt2_350m launch=rtx4070_350m
    torchrun --nproc_per_node 2 -m rlvr.grpo +exp=java_bst_tiny  # two CPU ranks (gloo)
    python -m rlvr.grpo +exp=java_bst_tiny resume=true           # continue from the last checkpoint

Each step TRL samples grpo.num_generations completions per train prompt; each batch is verified
ONCE by the pool (async) and scored by two reward components, logged under their own names:
`compile` (1 if the program compiles) and `tests` (1 more if every test passes), so the total is
the tiered 0/1/2 reward. A `sandbox_error` verdict scores None, which TRL masks instead of
counting as 0. Advantages are normalised per group (grpo.scale_rewards); the loss is
grpo.loss_type (dapo by default).

What this file adds to TRL, and nothing else:
- position ids in the loss-path forward: GPT-2 has learned absolute positions and TRL left-pads
  prompts without passing any, so every shorter prompt was scored at shifted positions;
- a monitor callback: DESIGN.md metric names in metrics.jsonl, timings, sample audits in
  samples.jsonl, warnings, and a coherence gate that stops a run whose samples stopped being code;
- checkpoints/step_<N>/ (renamed once every rank has written it, so a step_ dir is complete), final/,
  and resume=true.

Simplifications: generation does not stop when the method closes (TRL's generate takes no stopping
criteria), only at EOS or sampling.max_new_tokens; completions are cut before verification and the
tokens past the cut share the completion's advantage. Prompts are not bucketed by length (the
position ids make padding harmless, it only costs compute). The gate's streak restarts on resume.
Audits run on the main process only, so they are skipped under DeepSpeed ZeRO-3.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import hydra
import torch
import trl
from accelerate import PartialState
from accelerate.utils import broadcast_object_list
from transformers import TrainerCallback

from rlvr.config import ConfigError, RunConfig, check_common, resolve_device, to_object
from rlvr.degeneration import degeneration_summary, entropy_spike, repeated_ngram_frac
from rlvr.runlog import RunDirExists, RunLog
from rlvr.rollout import audit_rows, roll_out
from rlvr.tasks import Task, TaskFileError, cut_completion, load_tasks

LOSS_TYPES = ("grpo", "bnpo", "dr_grpo", "dapo", "cispo", "sapo", "luspo", "vespo")
# TRL's log key -> DESIGN.md metrics.jsonl key; TRL's other keys are kept under their own names
METRIC_NAMES = {
    "reward": "reward/mean", "reward_std": "reward/std", "rewards/compile/mean": "reward/compile_rate",
    "rewards/tests/mean": "reward/pass_rate", "frac_reward_zero_std": "groups/zero_std_frac",
    "completions/clipped_ratio": "completions/truncated_frac", "entropy": "entropy/mean",
    "learning_rate": "lr",
}


def process_layout() -> tuple[int, int]:
    """(rank, world size) as the launcher (accelerate launch / torchrun) set them, before any init."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


def device_batch(cfg: RunConfig) -> tuple[int, int]:
    """(per-device micro-batch, grad accumulation): grpo.per_device_batch split to fit launch.max_device_batch."""
    wanted, cap = cfg.grpo.per_device_batch, cfg.launch.max_device_batch
    micro = max(d for d in range(1, wanted + 1) if wanted % d == 0 and (not cap or d <= cap))
    return micro, cfg.grpo.grad_accum * wanted // micro


def check_config(cfg: RunConfig, processes: int) -> None:
    check_common(cfg)
    g = cfg.grpo
    if g.num_generations < 2:
        raise ConfigError(f"grpo.num_generations={g.num_generations}: a group needs >= 2 completions for a baseline")
    if g.per_device_batch < 1 or g.grad_accum < 1 or g.steps < 1:
        raise ConfigError("grpo.per_device_batch, grpo.grad_accum and grpo.steps must be >= 1")
    batch = g.per_device_batch * processes * g.grad_accum
    if batch % g.num_generations:
        raise ConfigError(
            f"grpo.per_device_batch={g.per_device_batch} x {processes} process(es) x grpo.grad_accum={g.grad_accum} "
            f"= {batch} completions per generation batch, not divisible by grpo.num_generations="
            f"{g.num_generations}: every prompt's group must fit in one batch")
    if g.loss_type not in LOSS_TYPES:
        raise ConfigError(f"grpo.loss_type={g.loss_type!r}: expected one of {LOSS_TYPES}")
    if g.scale_rewards not in ("group", "batch", "none"):
        raise ConfigError(f"grpo.scale_rewards={g.scale_rewards!r}: expected group | batch | none")
    if cfg.sampling.temperature <= 0:
        raise ConfigError("sampling.temperature=0 (greedy) gives a group identical completions: GRPO needs sampling")


def check_fits(tokenizer, tasks: list[Task], n_positions: int, max_completion: int) -> list[int]:
    """Prompt token counts (tokenized as TRL does); fails clearly if prompt + completion overflows."""
    lengths = [len(ids) for ids in tokenizer([t.prompt for t in tasks])["input_ids"]]
    longest = max(range(len(tasks)), key=lengths.__getitem__)
    if lengths[longest] + max_completion > n_positions:
        raise ConfigError(
            f"prompt {tasks[longest].id!r} has {lengths[longest]} tokens + sampling.max_new_tokens="
            f"{max_completion} > the model's {n_positions} positions: lower sampling.max_new_tokens, "
            f"shorten the prompts or use a model with a longer context")
    return lengths


class TieredReward:
    """Two reward components over ONE verification per batch: `compile` and `tests`.

    TRL awaits both (async functions run concurrently) with the same completions: the first call
    starts the pool's verification, the second awaits the same future; the cached batch is
    dropped once both have read it."""

    def __init__(self, pool, tasks: dict[str, Task]):
        self.pool, self.tasks = pool, tasks
        self._key, self._future, self._readers = None, None, 0

    async def _verdicts(self, completions, task_ids, log_metric):
        key = (tuple(task_ids), tuple(completions))
        if key != self._key:
            self._key, self._readers = key, 2
            self._future = asyncio.ensure_future(self._verify(completions, task_ids, log_metric))
        future = self._future
        self._readers -= 1
        if self._readers == 0:
            self._key = None
        return await future

    async def _verify(self, completions, task_ids, log_metric):
        tasks = [self.tasks[i] for i in task_ids]
        programs = [cut_completion(t, c) for t, c in zip(tasks, completions)]
        t0 = time.perf_counter()
        verdicts = await self.pool.averify(tasks, programs)
        seconds = time.perf_counter() - t0
        log_metric("time/verify_s", seconds)
        log_metric("verifier/programs_per_s", len(programs) / max(seconds, 1e-9))
        log_metric("reward/sandbox_error_frac", statistics.fmean(v.status == "sandbox_error" for v in verdicts))
        for name, value in degeneration_summary(programs).items():  # degeneration/*, coherence/score
            log_metric(name, value)
        return verdicts

    async def compile(self, completions, task_id, log_metric, **_):
        verdicts = await self._verdicts(completions, task_id, log_metric)
        return [None if v.status == "sandbox_error" else float(v.compiled) for v in verdicts]

    async def tests(self, completions, task_id, log_metric, **_):
        verdicts = await self._verdicts(completions, task_id, log_metric)
        return [None if v.status == "sandbox_error" else float(v.status == "pass") for v in verdicts]


class _WithPositionIds:
    """Calls a model with position ids counted from each row's first unpadded token."""

    def __init__(self, model):
        self.model = model

    def __call__(self, **inputs):
        positions = (inputs["attention_mask"].cumsum(-1) - 1).clamp(min=0)  # (B, P+C)
        return self.model(**inputs, position_ids=positions)


class PositionedGRPOTrainer(trl.GRPOTrainer):
    """GRPOTrainer whose log-prob forward passes position ids, and which times generation.

    TRL's `_get_per_token_logps_and_entropies` calls `model(input_ids, attention_mask, labels, ...)`
    with left-padded prompts and no position ids; `generate()` derives them from the mask, so the
    loss scored a different sequence than the one sampled (by up to 0.88 in a logit)."""

    def _get_per_token_logps_and_entropies(self, model, *args, **kwargs):
        return super()._get_per_token_logps_and_entropies(_WithPositionIds(model), *args, **kwargs)

    def _generate(self, prompts):
        t0 = time.perf_counter()
        result = super()._generate(prompts)
        self._metrics["train" if self.model.training else "eval"]["time/generate_s"].append(time.perf_counter() - t0)
        return result


class Monitor(TrainerCallback):
    """metrics.jsonl rows under DESIGN.md names, sample audits, warnings, the coherence gate, and
    checkpoint naming. Only the main process writes; the gate's verdict is broadcast to every rank."""

    def __init__(self, cfg: RunConfig, log: RunLog, tokenizer, audit_tasks: list[Task], pool):
        self.cfg, self.log, self.tokenizer, self.audit_tasks, self.pool = cfg, log, tokenizer, audit_tasks, pool
        self.pending: dict = {}  # audit metrics waiting for the next logged row
        self.collapsed: list[int] = []  # steps of the current streak of collapsed audits
        self.warned: set[str] = set()
        self.halt_reason: str | None = None

    def on_step_end(self, args, state, control, model=None, **kwargs):
        every = self.cfg.monitor.audit_every
        if not every or not self.audit_tasks or state.global_step % every:
            return control
        reason = self.audit(state.global_step, model) if state.is_world_process_zero else None
        reason = broadcast_object_list([reason])[0]  # every rank must stop at the same step
        if reason:
            self.halt_reason = reason
            control.should_training_stop = control.should_save = control.should_log = True
        return control

    def audit(self, step: int, model) -> str | None:
        """Greedy and sampled completions of the fixed audit prompts -> samples.jsonl; the gate's verdict."""
        m = self.cfg.monitor
        rows = []
        for decoding, sampling in (("greedy", replace(self.cfg.sampling, temperature=0.0)), ("sampled", self.cfg.sampling)):
            rollouts = roll_out(model, self.tokenizer, self.audit_tasks, sampling, self.pool, 1, decoding)
            for row, (s,) in zip(audit_rows(rollouts), ([r.sample] for [r] in rollouts)):
                ids = self.tokenizer(s.completion, add_special_tokens=False)["input_ids"]
                rows.append({**row, "repeat_frac": repeated_ngram_frac(ids, 4),
                             "entropy_spike": entropy_spike(s.entropy), "n_tokens": s.n_tokens})
        self.log.samples(step, rows)
        coherence = statistics.fmean(r["coherence"] for r in rows)
        by = lambda d, k: statistics.fmean(r[k] for r in rows if r["decoding"] == d)  # noqa: E731
        self.pending = {"audit/coherence": coherence, "audit/greedy_reward": by("greedy", "reward"),
                        "audit/sampled_reward": by("sampled", "reward"),
                        "audit/repeat_frac": statistics.fmean(r["repeat_frac"] for r in rows),
                        "audit/entropy_spike_frac": statistics.fmean(r["entropy_spike"] is not None for r in rows)}
        print(f"grpo: audit step {step}: coherence {coherence:.1f}, greedy reward "
              f"{self.pending['audit/greedy_reward']:.2f}, sampled {self.pending['audit/sampled_reward']:.2f}")
        self.collapsed = self.collapsed + [step] if coherence < m.gate_threshold else []
        if len(self.collapsed) < m.gate_patience:
            return None
        return (f"coherence gate: mean audit coherence below monitor.gate_threshold={m.gate_threshold} for "
                f"{len(self.collapsed)} consecutive audits (steps {self.collapsed}; last {coherence:.1f})")

    def warnings(self, row: dict) -> dict:
        """warn/<name>: 1 for each condition that holds now; each is printed once per run."""
        m = self.cfg.monitor
        checks = [  # name, metric, is it bad, what to do
            ("truncated", "completions/truncated_frac", lambda v: v > m.truncated_warn,
             f"> monitor.truncated_warn={m.truncated_warn}: completions hit the length cap (looping?)"),
            ("zero_std", "groups/zero_std_frac", lambda v: v > m.zero_std_warn,
             f"> monitor.zero_std_warn={m.zero_std_warn}: most groups have equal rewards, no advantage"),
            ("entropy_collapse", "entropy/mean", lambda v: v < m.entropy_floor,
             f"< monitor.entropy_floor={m.entropy_floor}: the policy stopped exploring"),
            ("reward_std_collapse", "reward/std", lambda v: v < m.reward_std_floor,
             f"< monitor.reward_std_floor={m.reward_std_floor}: every completion got the same reward"),
        ]
        fired = {}
        for name, key, bad, hint in checks:
            value = row.get(key)
            if value is None or not bad(value):
                continue
            fired[f"warn/{name}"] = 1
            if name not in self.warned:
                self.warned.add(name)
                print(f"grpo: WARNING step {row['step']}: {key}={value:.3f} {hint}", file=sys.stderr)
        return fired

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or "train_runtime" in logs:  # the end-of-train summary is no step
            return
        row = {METRIC_NAMES.get(k, k): v for k, v in logs.items()}
        if row.get("step_time") is not None:  # TRL's step_time spans generate + verify + loss/backward
            row["time/train_s"] = max(0.0, row["step_time"] - (row.get("time/generate_s") or 0)
                                      - (row.get("time/verify_s") or 0))
        row.update(self.pending)
        self.pending = {}
        row.update(self.warnings({"step": state.global_step, **row}))
        if self.halt_reason:
            row.update({"gate/halted": 1, "gate/reason": self.halt_reason})
        self.log.log(state.global_step, row)

    def on_save(self, args, state, control, **kwargs):
        PartialState().wait_for_everyone()  # every rank has written its part (RNG state, ZeRO shards)
        if state.is_world_process_zero:
            written = Path(args.output_dir) / f"checkpoint-{state.global_step}"
            final = written.with_name(f"step_{state.global_step}")
            if final.exists():
                shutil.rmtree(final)
            written.rename(final)


def latest_checkpoint(run_dir: Path) -> tuple[Path | None, int]:
    """The newest complete checkpoints/step_<N>/ (it holds trainer_state.json) and its step."""
    done = [(int(p.parent.name.split("_")[1]), p.parent) for p in run_dir.glob("checkpoints/step_*/trainer_state.json")]
    step, path = max(done, default=(0, None))
    return path, step


def grpo_args(cfg: RunConfig, device: str, tokenizer, model_vocab: int) -> trl.GRPOConfig:
    g, s, launch = cfg.grpo, cfg.sampling, cfg.launch
    on_cpu = device == "cpu"
    micro, accum = device_batch(cfg)
    generation_kwargs = {}
    if s.no_repeat_ngram_size:
        generation_kwargs["no_repeat_ngram_size"] = s.no_repeat_ngram_size
    if model_vocab > len(tokenizer):  # a nanoGPT vocab padded to 50304: never sample undecodable ids
        generation_kwargs["suppress_tokens"] = list(range(len(tokenizer), model_vocab))
    return trl.GRPOConfig(
        output_dir=str(cfg.run_dir / "checkpoints"), max_steps=g.steps, learning_rate=g.lr,
        lr_scheduler_type=g.lr_scheduler, warmup_steps=g.warmup_steps,
        per_device_train_batch_size=micro, gradient_accumulation_steps=accum,
        num_generations=g.num_generations, max_completion_length=s.max_new_tokens,
        temperature=s.temperature, top_k=s.top_k, top_p=s.top_p, repetition_penalty=s.repetition_penalty,
        generation_kwargs=generation_kwargs or None,
        loss_type=g.loss_type, beta=g.beta, scale_rewards=g.scale_rewards, epsilon=g.epsilon,
        epsilon_high=g.epsilon_high, mask_truncated_completions=g.mask_truncated_completions,
        disable_dropout=g.disable_dropout, logging_steps=g.logging_steps,
        save_strategy="steps" if g.save_every else "no", save_steps=g.save_every or 1,
        report_to=list(g.report_to) or "none", seed=cfg.seed,
        use_cpu=on_cpu, bf16=launch.bf16 and not on_cpu,  # TRL defaults bf16=True, which fails on CPU
        activation_checkpointing=launch.activation_checkpointing and not on_cpu,
        optim=launch.optim, deepspeed=launch.deepspeed, ddp_find_unused_parameters=False,
        dataloader_pin_memory=not on_cpu)


def run(cfg: RunConfig) -> None:
    from datasets import Dataset

    from rlvr.models import load_model
    from rlvr.verifier import make_pool

    # 1. config: what can be checked before loading anything
    rank, world = process_layout()
    check_config(cfg, world)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    device = resolve_device(cfg)
    log = RunLog(cfg.run_dir, "grpo", resume=cfg.resume, is_main=rank == 0, config=cfg)
    checkpoint, start_step = latest_checkpoint(cfg.run_dir) if cfg.resume else (None, 0)
    if cfg.resume:
        log.truncate_after(start_step)  # steps after the checkpoint are redone, so logged once
        print(f"grpo: rank {rank}: resuming from {checkpoint}" if checkpoint else "grpo: resume=true but no "
              "complete checkpoint: starting from step 0")

    # 2. model, prompts, derived sizes
    model, tokenizer = load_model(cfg.model.path, cfg.model.tokenizer, cfg.model.dtype, "cpu")
    tasks = load_tasks(cfg.task.path, split="train")
    n_positions = getattr(model.config, "n_positions", None) or model.config.max_position_embeddings
    lengths = check_fits(tokenizer, tasks, n_positions, cfg.sampling.max_new_tokens)
    args = grpo_args(cfg, device, tokenizer, model.config.vocab_size)
    dataset = Dataset.from_list([{"prompt": t.prompt, "task_id": t.id} for t in tasks])
    per_step = cfg.grpo.per_device_batch * world * cfg.grpo.grad_accum
    print(f"grpo: rank {rank} of {world} on {device}: {len(tasks)} train prompts ({min(lengths)}-{max(lengths)} "
          f"tokens), {per_step} completions/step = {per_step // cfg.grpo.num_generations} prompts x G="
          f"{cfg.grpo.num_generations} (micro-batch {args.per_device_train_batch_size} x accum "
          f"{args.gradient_accumulation_steps}), {cfg.grpo.steps} steps, "
          f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M params", flush=True)

    # 3. train
    with make_pool(cfg.verifier) as pool:
        reward = TieredReward(pool, {t.id: t for t in tasks})
        monitor = Monitor(cfg, log, tokenizer, tasks[:cfg.monitor.audit_prompts], pool)
        trainer = PositionedGRPOTrainer(model=model, reward_funcs=[reward.compile, reward.tests], args=args,
                                        train_dataset=dataset, processing_class=tokenizer, callbacks=[monitor])
        if trainer.is_deepspeed_enabled and trainer.accelerator.state.deepspeed_plugin.zero_stage == 3:
            print("grpo: DeepSpeed ZeRO-3 partitions the weights: audits and the coherence gate are off")
            monitor.audit_tasks = []
        t0 = time.time()
        trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)

    # 4. save
    trainer.save_model(str(cfg.run_dir / "final"))  # model + tokenizer, main process only (gathers ZeRO-3)
    if rank == 0:
        last = next((h for h in reversed(trainer.state.log_history) if "reward" in h), {})
        print(f"grpo: {trainer.state.global_step} steps in {time.time() - t0:.0f}s, last reward "
              f"{last.get('reward', float('nan')):.2f}; final model -> {cfg.run_dir / 'final'}")
        if monitor.halt_reason:
            print(f"grpo: HALTED at step {trainer.state.global_step} by the {monitor.halt_reason} "
                  f"(checkpoint saved; see gate/reason in metrics.jsonl)", file=sys.stderr)
            print(f"grpo: HALTED: {monitor.halt_reason}")


@hydra.main(config_path="../conf", config_name="grpo", version_base=None)
def main(dict_cfg) -> None:
    from rlvr.models import ModelLoadError

    try:
        run(to_object(dict_cfg))
    except (ConfigError, ModelLoadError, TaskFileError, FileNotFoundError, RunDirExists) as e:
        sys.exit(f"rlvr.grpo: error: {e}")


if __name__ == "__main__":
    main()
