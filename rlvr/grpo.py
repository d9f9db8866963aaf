"""GRPO: reinforce what the verifier rewards (TRL's GRPOTrainer + the verifier pool).

    python -m rlvr.grpo +exp=java_bst_tiny                      # CPU, the embedded default
    accelerate launch rlvr/grpo.py +exp=java_bst                 # one GPU
    accelerate launch --config_file launch/multi_gpu.yaml rlvr/grpo.py +exp=java_bst model=gpt2_350m launch=rtx4070_350m
    torchrun --nproc_per_node 2 -m rlvr.grpo +exp=java_bst_tiny  # two CPU ranks (gloo)
    python -m rlvr.grpo +exp=java_bst_tiny grpo.vllm=colocate    # vLLM generation (GPU, `pip install vllm`)
    python -m rlvr.grpo +exp=java_bst_tiny resume=true           # continue from the last checkpoint

Each step TRL samples grpo.num_generations completions per train prompt. Generation ends each row
where its target method closes: a logits processor forces EOS there, so TRL's completion mask, the
loss normaliser, lengths and entropy all stop at the method (vLLM rows are generated whole and cut
at the close). Each batch is verified ONCE by the pool; the reward is the pool's `verifier.reward`
shape (tiered, binary, partial, coderl), a trivial body scores 0, and a `sandbox_error` scores None,
which TRL masks instead of counting as 0. Compile rate, pass rate, trivial fraction, truncation
(`completions/truncated_frac`: the method never closed) and degeneration are logged beside it.

What this file adds to TRL, through its public hooks only:
- `rollout_func` (TRL's generation hook): the method-close stop above, and generation time;
- a forward pre-hook passing position ids counted from each row's first unpadded token: GPT-2 has
  learned absolute positions and TRL's loss-path forward left-pads prompts without passing any;
- a callback: DESIGN.md metric names in metrics.jsonl, sample audits in samples.jsonl (with seed
  002's loss, perplexity, tier and memorised flag), warnings, and two halts: the coherence gate
  (seed 002: it counts collapsed samples, greedy and sampled apart) and a failing verifier pool;
- checkpoints/step_<N>/ (renamed once every rank has written it, so a step_ dir is complete), final/,
  and resume=true.

Simplifications: prompts are not bucketed by length (padding only costs compute). The gate's streak
restarts on resume. Audits run on the main process only, so they are off under DeepSpeed ZeRO-3.
"""
from __future__ import annotations

import math
import os
import shutil
import statistics
import sys
import time
import warnings
from pathlib import Path

import hydra

# `accelerate launch rlvr/grpo.py` runs this file, not the package: import rlvr before torch, since
# rlvr/__init__.py sets the CPU environment that torch reads when it loads
import rlvr  # noqa: F401
import torch
import trl
from accelerate import PartialState
from accelerate.utils import broadcast_object_list, gather_object
from transformers import LogitsProcessor, LogitsProcessorList, TrainerCallback

from rlvr.benchmarks import check_canonical, shipped_with_rlvr
from rlvr.config import ConfigError, RunConfig, check_common, resolve_device, run_stage
from rlvr.rollout import SandboxFailure, TrainingText, audit_rows, outcome_metrics, roll_out, training_text
from rlvr.runlog import RunLog, refuse_existing, read_jsonl
from rlvr.sampling import MethodClosed, left_pad, shared_prefill
from rlvr.tasks import Task, completion_end, load_tasks
from rlvr.verifier import sandbox_failure

# TRL's log key -> DESIGN.md metrics.jsonl key; TRL's other keys are kept under their own names
METRIC_NAMES = {"reward": "reward/mean", "reward_std": "reward/std", "frac_reward_zero_std": "groups/zero_std_frac",
                "entropy": "entropy/mean", "learning_rate": "lr"}


class PoolFailure(SandboxFailure):
    """Most verdicts of two batches in a row were sandbox_error: the pool, not the model, failed."""


def device_batch(cfg: RunConfig) -> tuple[int, int]:
    """(per-device micro-batch, grad accumulation): grpo.per_device_batch split to fit launch.max_device_batch."""
    wanted, cap = cfg.grpo.per_device_batch, cfg.launch.max_device_batch
    micro = max(d for d in range(1, wanted + 1) if wanted % d == 0 and (not cap or d <= cap))
    return micro, cfg.grpo.grad_accum * wanted // micro


def check_config(cfg: RunConfig, processes: int) -> None:
    """Every grpo / monitor / launch value, before any model, JVM or run file is touched."""
    check_common(cfg)
    g = cfg.grpo
    g.check()
    cfg.monitor.check()
    cfg.launch.check()
    batch = g.per_device_batch * processes * g.grad_accum
    if batch % g.num_generations:
        raise ConfigError(
            f"grpo.per_device_batch={g.per_device_batch} x {processes} process(es) x grpo.grad_accum={g.grad_accum} "
            f"= {batch} completions per generation batch, not divisible by grpo.num_generations="
            f"{g.num_generations}: every prompt's group must fit in one batch")
    if cfg.sampling.temperature <= 0:
        raise ConfigError("sampling.temperature=0 (greedy) gives a group identical completions: GRPO needs sampling")


def check_fits(tokenizer, tasks: list[Task], n_positions: int, max_completion: int) -> tuple[list[Task], list[int]]:
    """The prompts that fit with a full completion, and their token counts (tokenized as TRL does).

    A prompt too long for the context is left out of training, named once; if none fits, the
    config is wrong (max_new_tokens or the model), not the task set."""
    lengths = [len(ids) for ids in tokenizer([t.prompt for t in tasks])["input_ids"]]
    fits = [i for i, n in enumerate(lengths) if n + max_completion <= n_positions]
    if not fits:
        longest = max(range(len(tasks)), key=lengths.__getitem__)
        raise ConfigError(
            f"every prompt (e.g. {tasks[longest].id!r}, {lengths[longest]} tokens) + sampling.max_new_tokens="
            f"{max_completion} > the model's {n_positions} positions: lower sampling.max_new_tokens, "
            f"shorten the prompts or use a model with a longer context")
    if len(fits) < len(tasks):
        left_out = [t.id for t, n in zip(tasks, lengths) if n + max_completion > n_positions]
        print(f"grpo: {len(left_out)} prompt(s) + sampling.max_new_tokens={max_completion} exceed the model's "
              f"{n_positions} positions and are left out of training: {', '.join(left_out[:5])}")
    return [tasks[i] for i in fits], [lengths[i] for i in fits]


class EndAtMethodClose(LogitsProcessor):
    """Forces EOS on every row whose target method has closed (or whose task stop string appeared).

    The EOS is then the sampled token, so generation stops there and TRL's completion mask (which
    ends at the first EOS) holds exactly the method and its EOS."""

    def __init__(self, tokenizer, tasks: list[Task], prompt_width: int, eos_id: int):
        self.method, self.eos_id = MethodClosed(tokenizer, tasks, prompt_width), eos_id

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if input_ids.shape[1] > self.method.prompt_width:
            self.method.update(input_ids)
        if self.method.closed.any():
            closed = self.method.closed.to(scores.device)
            scores[closed] = -math.inf
            scores[closed, self.eos_id] = 0.0
        return scores


def cut_at_close(tokenizer, task: Task, ids: list[int], logprobs: list, eos_id: int):
    """(ids, logprobs) of a row generated whole (vLLM) ending where its method closes, then EOS. A
    sampled EOS keeps its log-prob; an appended one has none (None: TRL leaves it out of its correction)."""
    method = MethodClosed(tokenizer, [task], prompt_width=0)
    for k in range(len(ids)):
        if method.update(torch.tensor([ids[:k + 1]]))[0]:
            sampled_eos = k + 1 < len(ids) and ids[k + 1] == eos_id
            return ids[:k + 1] + [eos_id], logprobs[:k + 1] + [logprobs[k + 1] if sampled_eos else None]
    return ids, logprobs


class Generation:
    """TRL's `rollout_func`: generates a batch that ends each row where its target method closes.

    HF generate (grpo.vllm=off) gets EndAtMethodClose, so tokens past the close are never generated;
    vLLM rows are cut afterwards (vLLM takes no per-request logits processor). Prompts are tokenized
    as TRL does; `seconds` collects generation time per batch for the reward function to log."""

    def __init__(self, tokenizer, tasks: list[Task]):
        self.tokenizer, self.by_prompt, self.seconds = tokenizer, {t.prompt: t for t in tasks}, []

    def __call__(self, prompts: list[str], trainer) -> dict:
        t0 = time.perf_counter()
        tasks = [self.by_prompt[p] for p in prompts]
        prompt_ids = self.tokenizer(prompts)["input_ids"]
        eos_id = self.tokenizer.eos_token_id
        if trainer.use_vllm:
            _, completion_ids, logprobs, _ = trainer.vllm_generation.generate(
                prompts=prompt_ids, images=None, num_generations=trainer.num_generations)
            rows = [cut_at_close(self.tokenizer, t, ids, [lp[0] for lp in lps], eos_id)
                    for t, ids, lps in zip(tasks, completion_ids, logprobs)]
            completion_ids, logprobs = [ids for ids, _ in rows], [lps for _, lps in rows]
        else:
            completion_ids, logprobs = self._generate(trainer, prompt_ids, tasks, eos_id), None
        self.seconds.append(time.perf_counter() - t0)
        return {"prompt_ids": prompt_ids, "completion_ids": completion_ids, "logprobs": logprobs}

    def _generate(self, trainer, prompt_ids: list[list[int]], tasks: list[Task], eos_id: int) -> list[list[int]]:
        input_ids, attention = left_pad(prompt_ids, self.tokenizer.pad_token_id, trainer.accelerator.device)
        width = input_ids.shape[1]
        stop = LogitsProcessorList([EndAtMethodClose(self.tokenizer, tasks, width, eos_id)])
        with trl.models.unwrap_model_for_generation(
                trainer.model_wrapped, trainer.accelerator,
                gather_deepspeed3_params=trainer.args.ds3_gather_for_generation,
                generation_kwargs=trainer.generation_kwargs) as model, torch.no_grad():
            cache = shared_prefill(model, input_ids, attention)  # each prompt fills G rows; GrowingLayers
            out = model.generate(input_ids=input_ids, attention_mask=attention, cache=cache,
                                 generation_config=trainer.generation_config, logits_processor=stop)
        eos = set(torch.tensor(trainer.generation_config.eos_token_id).view(-1).tolist())
        rows = out[:, width:].tolist()  # (B, C); a finished row is padded after its EOS
        return [row[:next((k + 1 for k, t in enumerate(row) if t in eos), len(row))] for row in rows]


def positions_from_mask(module, args, kwargs):
    """Forward pre-hook: a full-sequence call without position ids gets them from its attention mask,
    as `generate()` derives them, so the loss scores each token at the position it was sampled at."""
    ids, mask = kwargs.get("input_ids"), kwargs.get("attention_mask")
    if kwargs.get("position_ids") is None and ids is not None and mask is not None and mask.shape == ids.shape:
        kwargs["position_ids"] = (mask.long().cumsum(-1) - 1).masked_fill(mask == 0, 0)
    return args, kwargs


class VerifierReward:
    """The reward function: one pool verification per generation batch, rewarded with the pool's
    `verifier.reward` shape. Its components are logged under their own names, not rewarded."""

    def __init__(self, pool, tasks: list[Task], generation: Generation):
        self.pool, self.tasks, self.generation = pool, {t.id: t for t in tasks}, generation
        self.batches: list[tuple[float, str]] = []  # (sandbox_error fraction, first error) per batch, for Monitor

    async def verifier(self, completions: list[str], task_id: list[str], log_metric, **_) -> list[float | None]:
        tasks = [self.tasks[i] for i in task_id]
        t0 = time.perf_counter()
        verdicts = await self.pool.averify(tasks, completions)
        seconds = time.perf_counter() - t0
        error_frac = sum(v.status == "sandbox_error" for v in verdicts) / len(verdicts)
        self.batches.append((error_frac, sandbox_failure(verdicts) or ""))
        scored = [(t, c, v) for t, c, v in zip(tasks, completions, verdicts) if v.status != "sandbox_error"]
        metrics = {"time/generate_s": sum(self.generation.seconds), "time/verify_s": seconds,
                   "verifier/programs_per_s": len(verdicts) / max(seconds, 1e-9),
                   "reward/sandbox_error_frac": error_frac}
        self.generation.seconds.clear()
        if scored:
            metrics.update(outcome_metrics([c for _, c, _ in scored], [v for _, _, v in scored],
                                           [completion_end(t, c) is None for t, c, _ in scored]))
        for name, value in metrics.items():
            log_metric(name, value)
        return [None if v.status == "sandbox_error" else v.reward for v in verdicts]  # the pool zeroes trivial bodies


class CoherenceGate:
    """Seed 002 counts samples: an audit is collapsed for a decoding when more than `frac` of its
    samples score under `threshold`; `patience` collapsed audits in a row, greedy or sampled, halt.
    Watched apart, because greedy can collapse onto one loop while sampling still writes Java."""

    def __init__(self, threshold: float, frac: float, patience: int):
        self.threshold, self.frac, self.patience = threshold, frac, patience
        self.streaks: dict[str, list[int]] = {"greedy": [], "sampled": []}

    def update(self, step: int, rows: list[dict]) -> str | None:
        """Count one audit's samples.jsonl rows; the halt reason, or None."""
        for decoding, streak in self.streaks.items():
            scores = [r["coherence"] for r in rows if r["decoding"] == decoding]
            low = sum(s < self.threshold for s in scores) / len(scores) if scores else 0.0
            self.streaks[decoding] = streak + [step] if low > self.frac else []
            if len(self.streaks[decoding]) >= self.patience:
                return (f"coherence gate: more than monitor.gate_frac={self.frac} of the {decoding} audit samples "
                        f"scored under monitor.gate_threshold={self.threshold} in {self.patience} consecutive audits "
                        f"(steps {self.streaks[decoding]}; last {low:.2f})")
        return None


class Monitor(TrainerCallback):
    """metrics.jsonl rows under DESIGN.md names, sample audits, warnings, the two halts, and
    checkpoint naming. Only the main process writes; a halt is decided the same on every rank."""

    def __init__(self, cfg: RunConfig, log: RunLog, tokenizer, audit_tasks: list[Task], pool,
                 reward: VerifierReward, training: TrainingText):
        self.cfg, self.log, self.tokenizer, self.audit_tasks, self.pool = cfg, log, tokenizer, audit_tasks, pool
        self.reward, self.training, m = reward, training, cfg.monitor
        self.gate = CoherenceGate(m.gate_threshold, m.gate_frac, m.gate_patience)
        self.pending, self.warned, self.halt_reason = {}, set(), None  # pending: audit metrics for the next row
        self.pool_failed, self.pool_warned_at = False, None  # pool_warned_at: step of the first failed batch

    def on_step_end(self, args, state, control, **kwargs):
        reason = self.check_pool(state.global_step)
        every = self.cfg.monitor.audit_every
        if not reason and every and self.audit_tasks and state.global_step % every == 0:
            reason = self.audit(state.global_step, kwargs["model"]) if state.is_world_process_zero else None
            reason = broadcast_object_list([reason])[0]  # every rank must stop at the same step
        if reason:
            self.halt_reason = reason
            control.should_training_stop = control.should_save = control.should_log = True
        return control

    def check_pool(self, step: int) -> str | None:
        """Warns at the first batch where most verdicts are sandbox_error; halts if the next fails too."""
        batches, self.reward.batches = self.reward.batches, []
        worst = max(gather_object([max(batches, default=(0.0, ""))]))  # every rank's worst batch since last step
        if worst[0] < 0.5:
            self.pool_warned_at = None if batches else self.pool_warned_at
            return None
        if self.pool_warned_at is not None:
            self.pool_failed = True
            return f"{worst[1]} (steps {self.pool_warned_at} and {step})"
        self.pool_warned_at = step
        print(f"grpo: WARNING step {step}: reward/sandbox_error_frac={worst[0]:.2f} >= 0.5, not trained on: "
              f"{worst[1]}; the run halts if the next batch fails too", file=sys.stderr)
        return None

    def audit(self, step: int, model) -> str | None:
        """Greedy and sampled completions of the fixed audit prompts -> samples.jsonl; the gate's verdict."""
        rows = [row for decoding in ("greedy", "sampled") for row in audit_rows(roll_out(
            model, self.tokenizer, self.audit_tasks, self.cfg.sampling, self.pool, 1, decoding), self.training)]
        self.log.samples(step, rows)
        by = lambda d, k: statistics.fmean(r[k] for r in rows if r["decoding"] == d)  # noqa: E731
        self.pending = {
            "audit/coherence": statistics.fmean(r["coherence"] for r in rows),
            "audit/greedy_coherence": by("greedy", "coherence"), "audit/sampled_coherence": by("sampled", "coherence"),
            "audit/greedy_reward": by("greedy", "reward"), "audit/sampled_reward": by("sampled", "reward"),
            "audit/memorised_frac": statistics.fmean(r["memorised"] for r in rows)}
        print(f"grpo: audit step {step}: coherence greedy {self.pending['audit/greedy_coherence']:.1f} sampled "
              f"{self.pending['audit/sampled_coherence']:.1f}, reward greedy {self.pending['audit/greedy_reward']:.2f} "
              f"sampled {self.pending['audit/sampled_reward']:.2f}")
        return self.gate.update(step, rows)

    def warnings(self, row: dict) -> dict:
        """warn/<name>: 1 for each condition that holds now; each is printed once per run."""
        m = self.cfg.monitor
        checks = [  # name, metric, is it bad, what to do
            ("truncated", "completions/truncated_frac", lambda v: v > m.truncated_warn,
             f"> monitor.truncated_warn={m.truncated_warn}: methods that never close (looping?)"),
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


def grpo_args(cfg: RunConfig, device: str, tokenizer, model_vocab: int) -> trl.GRPOConfig:
    g, s, launch = cfg.grpo, cfg.sampling, cfg.launch
    on_cpu = device == "cpu"
    micro, accum = device_batch(cfg)
    # suppress_tokens: a nanoGPT vocab padded to 50304 has ids no tokenizer can decode: never sample them
    extra = {"no_repeat_ngram_size": s.no_repeat_ngram_size,
             "suppress_tokens": list(range(len(tokenizer), model_vocab))}
    generation_kwargs = {key: value for key, value in extra.items() if value}
    return trl.GRPOConfig(
        output_dir=str(cfg.run_dir / "checkpoints"), max_steps=g.steps, learning_rate=g.lr,
        lr_scheduler_type=g.lr_scheduler, warmup_steps=g.warmup_steps,
        per_device_train_batch_size=micro, gradient_accumulation_steps=accum,
        num_generations=g.num_generations, max_completion_length=s.max_new_tokens,
        temperature=s.temperature, top_k=s.top_k, top_p=s.top_p, repetition_penalty=s.repetition_penalty,
        generation_kwargs=generation_kwargs or None,
        use_vllm=g.vllm != "off", vllm_mode=g.vllm if g.vllm != "off" else "colocate",
        vllm_server_host=g.vllm_host, vllm_server_port=g.vllm_port, vllm_gpu_memory_utilization=g.vllm_gpu_memory,
        loss_type=g.loss_type, beta=g.beta, scale_rewards=g.scale_rewards, num_iterations=g.num_iterations,
        epsilon=g.epsilon, epsilon_high=g.epsilon_high, mask_truncated_completions=g.mask_truncated_completions,
        disable_dropout=g.disable_dropout, logging_steps=g.logging_steps,
        save_strategy="steps" if g.save_every else "no", save_steps=g.save_every or 1,
        report_to=list(g.report_to) or "none", seed=cfg.seed,
        use_cpu=on_cpu, bf16=launch.bf16 and not on_cpu,  # TRL defaults bf16=True, which fails on CPU
        activation_checkpointing=launch.activation_checkpointing and not on_cpu,
        optim=launch.optim, deepspeed=launch.deepspeed, ddp_find_unused_parameters=False,
        dataloader_pin_memory=not on_cpu)


def build_trainer(model, tokenizer, args: trl.GRPOConfig, tasks: list[Task], reward_funcs: list,
                  callbacks: list = (), generation: Generation | None = None) -> trl.GRPOTrainer:
    """GRPOTrainer over the train prompts, generating through `generation` (rlvr's method-close stop;
    None = TRL's own generation), with position ids injected into every model it scores with."""
    from datasets import Dataset

    dataset = Dataset.from_list([{"prompt": t.prompt, "task_id": t.id} for t in tasks])
    with warnings.catch_warnings():  # rollout_func is marked experimental; pyproject pins the TRL it was tested on
        warnings.filterwarnings("ignore", message="You are using 'rollout_func'")
        trainer = trl.GRPOTrainer(model=model, reward_funcs=reward_funcs, args=args, train_dataset=dataset,
                                  processing_class=tokenizer, callbacks=list(callbacks), rollout_func=generation)
    for scorer in (trainer.model, trainer.ref_model):  # ref_model: beta > 0
        if scorer is not None:
            scorer.register_forward_pre_hook(positions_from_mask, with_kwargs=True)
    return trainer


def run(cfg: RunConfig) -> None:
    from rlvr.models import context_length, load_model
    from rlvr.verifier import make_pool

    # 1. config, inputs and the model: everything that can be refused before the run dir or a JVM is touched
    rank, world = int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))  # as the launcher set them
    check_config(cfg, world)
    tasks = load_tasks(cfg.task.path, split="train")  # raises if the file has no train task
    pool = make_pool(cfg.verifier)  # validates verifier.*; its JVMs start on first use
    refuse_existing(cfg.run_dir, cfg.resume, cfg)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    device = resolve_device(cfg)
    model, tokenizer = load_model(cfg.model.path, cfg.model.tokenizer, cfg.model.dtype, "cpu")
    tasks, lengths = check_fits(tokenizer, tasks, context_length(model), cfg.sampling.max_new_tokens)
    log = RunLog(cfg.run_dir, "grpo", resume=cfg.resume, is_main=rank == 0, config=cfg)  # only now: a run dir
    checkpoint = None
    if cfg.resume:  # from the newest complete checkpoints/step_<N>/ (it holds trainer_state.json)
        done = [(int(p.parent.name.split("_")[1]), p.parent)
                for p in cfg.run_dir.glob("checkpoints/step_*/trainer_state.json")]
        start_step, checkpoint = max(done, default=(0, None))
        log.truncate_after(start_step)  # steps after the checkpoint are redone, so logged once
        print(f"grpo: rank {rank}: resuming from {checkpoint}" if checkpoint else "grpo: resume=true but no "
              "complete checkpoint: starting from step 0")

    # 2. derived sizes
    args = grpo_args(cfg, device, tokenizer, model.config.vocab_size)
    per_step = cfg.grpo.per_device_batch * world * cfg.grpo.grad_accum
    print(f"grpo: rank {rank} of {world} on {device}: {len(tasks)} train prompts ({min(lengths)}-{max(lengths)} "
          f"tokens), {per_step} completions/step = {per_step // cfg.grpo.num_generations} prompts x G="
          f"{cfg.grpo.num_generations} (micro-batch {args.per_device_train_batch_size} x accum "
          f"{args.gradient_accumulation_steps}), {cfg.grpo.steps} steps, reward {cfg.verifier.reward}, "
          f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M params", flush=True)

    # 3. train
    with pool:
        if rank == 0 and not shipped_with_rlvr(cfg.task.path):  # a benchmark's or user's own solutions must pass first
            print(f"grpo: {check_canonical(pool, tasks, Path(cfg.task.path).stem)}")
        generation = Generation(tokenizer, tasks)
        reward = VerifierReward(pool, tasks, generation)
        # what an audited sample could copy: the train tasks and the rows the SFT run before GRPO accepted
        accepted = read_jsonl(Path(cfg.model.path).parent / "accepted.jsonl")
        training = training_text(cfg.task.path, [r["completion"] for r in accepted if "completion" in r])
        monitor = Monitor(cfg, log, tokenizer, tasks[:cfg.monitor.audit_prompts], pool, reward, training)
        trainer = build_trainer(model, tokenizer, args, tasks, [reward.verifier], [monitor], generation)
        if trainer.is_deepspeed_enabled and trainer.accelerator.state.deepspeed_plugin.zero_stage == 3:
            print("grpo: DeepSpeed ZeRO-3 partitions the weights: audits and the coherence gate are off")
            monitor.audit_tasks = []
        t0 = time.time()
        trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)

    # 4. save: a halted run keeps its checkpoint; a failed pool writes no final model
    if monitor.halt_reason and rank == 0:
        print(f"grpo: HALTED at step {trainer.state.global_step} (checkpoint saved): {monitor.halt_reason}")
    if monitor.pool_failed:
        raise PoolFailure(f"{monitor.halt_reason}; fix the pool, then resume=true")
    trainer.save_model(str(cfg.run_dir / "final"))  # model + tokenizer, main process only (gathers ZeRO-3)
    if rank == 0:
        last = next((h for h in reversed(trainer.state.log_history) if "reward" in h), {})
        print(f"grpo: {trainer.state.global_step} steps in {time.time() - t0:.0f}s, last reward "
              f"{last.get('reward', float('nan')):.2f}; final model -> {cfg.run_dir / 'final'}")


@hydra.main(config_path="../conf", config_name="grpo", version_base=None)
def main(dict_cfg) -> None:
    run_stage("grpo", run, dict_cfg)


if __name__ == "__main__":
    main()
