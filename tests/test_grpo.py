"""GRPO stage at toy scale: a tiny random GPT-2 with a tokenizer trained here on a few real train
tasks, the real verifier pool (javac + tests), CPU only.

    .venv/bin/python -m pytest tests/test_grpo.py -q
"""
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from rlvr.config import ROOT, compose
from rlvr.runlog import read_jsonl
from rlvr.tasks import load_tasks

DESIGN_KEYS = ("reward/mean", "reward/std", "reward/compile_rate", "reward/pass_rate", "groups/zero_std_frac",
               "completions/mean_length", "completions/truncated_frac", "entropy/mean", "kl", "loss", "lr",
               "grad_norm", "reward/trivial_frac", "reward/sandbox_error_frac", "degeneration/repeat_frac",
               "degeneration/distinct_2", "coherence/score",
               "time/generate_s", "time/verify_s", "time/train_s", "verifier/programs_per_s")
SUBPROCESS_ENV = {**os.environ, "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict:
    """4 real train tasks (shortest prompts), a byte-level BPE trained on them, a 2x32 random GPT-2."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from rlvr.models import random_gpt2

    root = tmp_path_factory.mktemp("grpo_tiny")
    tasks = sorted(load_tasks(ROOT / "data/java_bst/tasks.jsonl", split="train"), key=lambda t: len(t.prompt))[:4]
    (root / "tasks.jsonl").write_text("".join(json.dumps(t.to_json()) + "\n" for t in tasks))
    bpe = Tokenizer(models.BPE())
    # no pre-tokenizer split: merges may span words, so prompts are ~70 tokens and the test is fast
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator([t.prompt + t.reference for t in tasks], trainers.BpeTrainer(
        vocab_size=1024, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<|endoftext|>", pad_token="<|endoftext|>")
    torch.manual_seed(0)
    model = random_gpt2(n_layer=2, n_head=2, n_embd=32, n_positions=512, vocab_size=len(tokenizer))
    model.save_pretrained(root / "model")
    tokenizer.save_pretrained(root / "model")
    return {"model": root / "model", "tasks": root / "tasks.jsonl"}


def overrides(tiny, out_dir, *extra) -> list[str]:
    return ["+exp=java_bst_tiny", f"model.path={tiny['model']}", f"task.path={tiny['tasks']}",
            f"out_dir={out_dir}", "grpo.num_generations=2", "grpo.per_device_batch=4",
            "sampling.max_new_tokens=16", "monitor.audit_prompts=2", *extra]


def steps_of(path: Path) -> list[int]:
    return [r["step"] for r in read_jsonl(path)]


def test_config_checks_name_the_keys(tiny, tmp_path):
    from rlvr.config import ConfigError
    from rlvr.grpo import check_config, check_fits, device_batch
    from rlvr.models import load_model

    cfg = compose("grpo", overrides(tiny, tmp_path, "grpo.per_device_batch=3"))
    with pytest.raises(ConfigError, match="grpo.per_device_batch=3 x 1 process.*grpo.num_generations=2"):
        check_config(cfg, processes=1)
    check_config(cfg, processes=2)  # 3 x 2 = 6 completions: 3 groups of 2
    bad = {"grpo.steps=0": "grpo.steps=0", "grpo.num_generations=1": "grpo.num_generations=1",
           "grpo.lr=-1": "grpo.lr=-1", "grpo.loss_type=ppo": "grpo.loss_type='ppo'",
           "grpo.scale_rewards=yes": "grpo.scale_rewards='yes'", "grpo.lr_scheduler=cosin": "grpo.lr_scheduler='cosin'",
           "grpo.epsilon=0.3": "grpo.num_iterations=1", "grpo.num_iterations=0": "grpo.num_iterations=0",
           "grpo.vllm=on": "grpo.vllm='on'", "grpo.vllm_port=0": "grpo.vllm_port=0",
           "monitor.gate_frac=1.5": "monitor.gate_frac=1.5", "monitor.gate_threshold=101": "monitor.gate_threshold=101",
           "monitor.gate_patience=0": "monitor.gate_patience=0", "monitor.audit_every=-1": "monitor.audit_every=-1",
           "launch.optim=adam": "launch.optim='adam'", "launch.deepspeed=nope.json": "launch.deepspeed=nope.json",
           "sampling.temperature=0": "sampling.temperature=0"}
    for override, message in bad.items():
        with pytest.raises(ConfigError, match=re.escape(message)):
            check_config(compose("grpo", overrides(tiny, tmp_path, override)), processes=1)
    check_config(compose("grpo", overrides(tiny, tmp_path, "grpo.num_iterations=2", "grpo.epsilon_high=0.28")), 1)
    if importlib.util.find_spec("vllm") is None:
        with pytest.raises(ConfigError, match="grpo.vllm=colocate but vLLM is not installed"):
            check_config(compose("grpo", overrides(tiny, tmp_path, "grpo.vllm=colocate")), processes=1)
    _, tokenizer = load_model(str(tiny["model"]))
    tasks = load_tasks(tiny["tasks"])
    with pytest.raises(ConfigError, match="sampling.max_new_tokens=512 > the model's 512 positions"):
        check_fits(tokenizer, tasks, 512, 512)  # no prompt fits
    lengths = [len(tokenizer(t.prompt)["input_ids"]) for t in tasks]
    kept, kept_lengths = check_fits(tokenizer, tasks, sorted(lengths)[-1] + 8 - 1, 8)  # the longest is left out
    assert len(kept) == len(tasks) - lengths.count(max(lengths)) and max(kept_lengths) < max(lengths)
    capped = compose("grpo", overrides(tiny, tmp_path, "grpo.per_device_batch=32", "grpo.grad_accum=2",
                                       "launch.max_device_batch=6"))
    assert device_batch(capped) == (4, 16)  # largest divisor of 32 <= 6; 32 x 2 completions per step kept


def test_bad_value_is_one_line_exit_2_before_any_model(tmp_path):
    """model.path does not exist, so only a check that runs before loading can answer."""
    done = subprocess.run([sys.executable, "-m", "rlvr.grpo", "+exp=java_bst_tiny", f"out_dir={tmp_path}",
                           f"model.path={tmp_path}/none", "monitor.gate_frac=2"], cwd=ROOT, env=SUBPROCESS_ENV,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.stderr.strip().splitlines()[-1] == "rlvr.grpo: error: monitor.gate_frac=2.0: a fraction, 0-1"
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # nothing of a run is written before the checks


def test_loss_path_logps_match_unpadded_forward(tiny, tmp_path):
    """TRL left-pads prompts of different lengths and its loss-path forward passes no position ids:
    with rlvr's forward pre-hook, TRL's own log-prob method scores each completion token exactly as
    a plain forward of that one unpadded sequence does. Fails if a TRL upgrade stops calling the
    model with keyword inputs (the hook would then not see them) or renames the method."""
    from rlvr.grpo import build_trainer, grpo_args
    from rlvr.models import load_model

    cfg = compose("grpo", overrides(tiny, tmp_path))
    model, tokenizer = load_model(str(tiny["model"]))
    tasks = load_tasks(tiny["tasks"])
    trainer = build_trainer(model, tokenizer, grpo_args(cfg, "cpu", tokenizer, model.config.vocab_size), tasks,
                            [lambda completions, **_: [0.0] * len(completions)])
    model = trainer.model.eval()
    prompts = [tokenizer(t.prompt)["input_ids"][-n:] for t, n in zip(tasks, (70, 52, 31, 9))]  # 4 lengths
    width = max(map(len, prompts))
    pad = tokenizer.pad_token_id
    prompt_ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts])  # (B, P) left-padded
    prompt_mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    torch.manual_seed(1)
    with torch.no_grad():
        completion_ids = model.generate(input_ids=prompt_ids, attention_mask=prompt_mask, do_sample=True,
                                        max_new_tokens=12, min_new_tokens=12, pad_token_id=pad)[:, width:]  # (B, C)
    input_ids = torch.cat([prompt_ids, completion_ids], 1)  # (B, P+C)
    attention_mask = torch.cat([prompt_mask, torch.ones_like(completion_ids)], 1)
    with torch.no_grad():
        ours, _, _ = trainer._get_per_token_logps_and_entropies(model, input_ids, attention_mask, 12)  # (B, C)
        for row, prompt in enumerate(prompts):
            ids = torch.tensor([prompt + completion_ids[row].tolist()])  # (1, T) no padding at all
            logits = model(input_ids=ids).logits[0, -13:-1] / trainer.temperature  # (C, V)
            reference = torch.log_softmax(logits.float(), -1).gather(-1, completion_ids[row, :, None])[:, 0]
            torch.testing.assert_close(ours[row], reference, atol=1e-5, rtol=1e-5)
        model._forward_pre_hooks.clear()  # without the hook, TRL's forward is off for padded rows
        bare, _, _ = trainer._get_per_token_logps_and_entropies(model, input_ids, attention_mask, 12)
    assert (bare - ours).abs().max() > 1e-3


def test_generation_ends_each_row_where_its_method_closes(tiny, tmp_path):
    """The rollout_func TRL calls: a row whose method closed ends with the closing token then EOS
    (nothing after it is generated); a row that never closed runs to the cap without EOS."""
    from rlvr.grpo import Generation, build_trainer, grpo_args
    from rlvr.models import load_model
    from rlvr.tasks import completion_end

    cfg = compose("grpo", overrides(tiny, tmp_path, "sampling.max_new_tokens=64", "sampling.temperature=1.5"))
    model, tokenizer = load_model(str(tiny["model"]))
    tasks = load_tasks(tiny["tasks"])
    generation = Generation(tokenizer, tasks)
    trainer = build_trainer(model, tokenizer, grpo_args(cfg, "cpu", tokenizer, model.config.vocab_size), tasks,
                            [lambda completions, **_: [0.0] * len(completions)], generation=generation)
    torch.manual_seed(0)
    prompts = [t.prompt for t in tasks for _ in range(8)]
    out = generation(prompts, trainer)
    assert out["prompt_ids"] == [tokenizer(p)["input_ids"] for p in prompts] and len(generation.seconds) == 1
    closed = 0
    for prompt, ids in zip(prompts, out["completion_ids"]):
        task = next(t for t in tasks if t.prompt == prompt)
        if completion_end(task, tokenizer.decode(ids)) is None:  # never closed: ran to EOS or the cap
            assert ids[-1] == tokenizer.eos_token_id or len(ids) == 64
            continue
        closed += 1
        assert ids[-1] == tokenizer.eos_token_id  # ... and nothing after the close but EOS
        assert completion_end(task, tokenizer.decode(ids[:-2])) is None  # closed by the token before EOS
    assert 0 < closed < len(prompts), closed  # both kinds occurred, so both branches were checked


def test_trivial_body_scores_zero_through_the_reward_function(tiny):
    """The real pool (javac + tests), verifier.reward=binary and tiered: the reference earns the
    top reward, a trivial body that compiles earns 0, like one that does not compile."""
    import asyncio

    from rlvr.grpo import Generation, VerifierReward
    from rlvr.verifier import VerifierConfig, make_pool

    tasks = load_tasks(tiny["tasks"])
    task = tasks[0]
    logged = {}
    for shape, full in (("binary", 1.0), ("tiered", 2.0)):
        with make_pool(VerifierConfig(reward=shape, workers=1)) as pool:
            reward = VerifierReward(pool, tasks, Generation(None, tasks))
            # a bare throw compiles in any method: tiered would pay 1 for it
            completions = [task.reference, "\n        throw new IllegalStateException();\n    }\n", "x"]
            rewards = asyncio.run(reward.verifier(completions, [task.id] * 3, log_metric=logged.__setitem__))
        assert rewards == [full, 0.0, 0.0], (shape, rewards)
    assert logged["reward/trivial_frac"] == 0.5 and logged["reward/sandbox_error_frac"] == 0.0
    assert {"reward/compile_rate", "reward/pass_rate", "completions/truncated_frac", "time/verify_s"} <= logged.keys()


def test_gate_counts_collapsed_samples_greedy_and_sampled_apart():
    """Seed 002's case: the greedy audit is all loops (coherence 0) while sampling still writes Java
    (90): the mean (45) would never halt; counting greedy samples halts after gate_patience audits."""
    from rlvr.grpo import CoherenceGate

    audit = [{"decoding": "greedy", "coherence": 0.0}] * 4 + [{"decoding": "sampled", "coherence": 90.0}] * 4
    gate = CoherenceGate(threshold=30, frac=0.5, patience=3)
    assert gate.update(1, audit) is None and gate.update(2, audit) is None
    assert "greedy audit samples" in gate.update(3, audit)
    half = [{"decoding": "greedy", "coherence": c} for c in (0, 0, 90, 90)]  # 2 of 4: not more than half
    gate = CoherenceGate(threshold=30, frac=0.5, patience=1)
    assert gate.update(1, half) is None
    assert gate.update(2, audit) and not gate.update(3, half)  # a healthy audit restarts the streak


def test_short_run_writes_design_metrics_checkpoint_and_final(tiny, tmp_path):
    """3 steps of the binary reward with beta > 0 (so kl is logged); gate_threshold=0 is a healthy
    run: it never halts."""
    from rlvr.grpo import run

    cfg = compose("grpo", overrides(tiny, tmp_path, "grpo.steps=3", "grpo.save_every=2", "grpo.beta=0.04",
                                    "verifier.reward=binary", "monitor.audit_every=1", "monitor.gate_patience=1",
                                    "monitor.gate_threshold=0"))
    run(cfg)
    rows = read_jsonl(cfg.run_dir / "metrics.jsonl")
    assert [r["step"] for r in rows] == [1, 2, 3]
    missing = {k for r in rows for k in DESIGN_KEYS if r.get(k) is None}
    assert not missing, f"metrics.jsonl lacks {missing}"
    assert all(r["stage"] == "grpo" and "gate/halted" not in r for r in rows)
    assert all(0 <= r["reward/mean"] <= 1 and r["time/verify_s"] > 0 for r in rows)
    assert all(0 <= r["completions/truncated_frac"] <= 1 for r in rows)
    samples = read_jsonl(cfg.run_dir / "samples.jsonl")
    assert {s["step"] for s in samples} == {1, 2, 3} and {s["decoding"] for s in samples} == {"greedy", "sampled"}
    assert all({"coherence", "entropy", "status", "reward", "loss", "ppl", "tier", "memorised"} <= s.keys()
               for s in samples)
    assert all(s["loss"] > 0 and s["tier"] and s["memorised"] is False for s in samples)  # random: copies nothing
    assert (cfg.run_dir / "checkpoints/step_2/trainer_state.json").exists()
    assert not list(cfg.run_dir.glob("checkpoints/checkpoint-*"))  # renamed once complete
    assert (cfg.run_dir / "final/config.json").exists() and (cfg.run_dir / "final/tokenizer.json").exists()


def test_coherence_gate_halts_a_degenerate_run(tiny, tmp_path, capsys):
    """A random model's samples are not code: with a gate at 90 it stops after 2 audits, cleanly."""
    from rlvr.grpo import run

    cfg = compose("grpo", overrides(tiny, tmp_path, "grpo.steps=6", "grpo.save_every=0", "sampling.temperature=3.0",
                                    "monitor.audit_every=1", "monitor.gate_patience=2", "monitor.gate_threshold=90"))
    run(cfg)  # returns normally: a halt is a clean stop, not an error
    rows = read_jsonl(cfg.run_dir / "metrics.jsonl")
    assert [r["step"] for r in rows] == [1, 2]
    assert rows[-1]["gate/halted"] == 1 and "coherence" in rows[-1]["gate/reason"]
    assert (cfg.run_dir / "checkpoints/step_2/trainer_state.json").exists()  # saved at the halt
    captured = capsys.readouterr()
    assert (captured.out + captured.err).count("HALTED") == 1


def test_failing_pool_warns_then_halts_without_a_final_model(tiny, tmp_path, capsys):
    """Worker JVMs that cannot start (a 1 KB heap): every verdict is the pool's sandbox_error. The run
    warns at step 1, halts at step 2 with a checkpoint to resume from, and writes no final/."""
    from rlvr.grpo import PoolFailure, run

    cfg = compose("grpo", [*overrides(tiny, tmp_path, "grpo.steps=6", "grpo.save_every=0", "monitor.audit_every=0"),
                           "verifier.jvm_args=[-Xmx1k]"])
    failure = r"failed on 4/4 programs \(sandbox_error\): cannot start Java worker.*\(steps 1 and 2\)"
    with pytest.raises(PoolFailure, match=failure):
        run(cfg)
    rows = read_jsonl(cfg.run_dir / "metrics.jsonl")
    assert [r["reward/sandbox_error_frac"] for r in rows] == [1.0, 1.0] and rows[-1]["gate/halted"] == 1
    assert "reward/mean" not in rows[0] or rows[0]["reward/mean"] is None  # nothing scored, nothing trained on
    captured = capsys.readouterr()
    assert captured.err.count("WARNING step 1: reward/sandbox_error_frac=1.00") == 1
    assert captured.out.count("HALTED at step 2") == 1
    assert (cfg.run_dir / "checkpoints/step_2/trainer_state.json").exists() and not (cfg.run_dir / "final").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_until(argv: list[str], marker: Path, timeout: float = 240) -> tuple[bool, str]:
    """Start argv; kill its process group as soon as `marker` exists. (killed?, output)."""
    proc = subprocess.Popen(argv, cwd=ROOT, env=SUBPROCESS_ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.time() + timeout
        while proc.poll() is None and not marker.exists() and time.time() < deadline:
            time.sleep(0.05)
        killed = proc.poll() is None
        if killed:
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        return killed, out
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_killed_run_resumes_without_duplicate_steps(tiny, tmp_path):
    args = [sys.executable, "-m", "rlvr.grpo", *overrides(tiny, tmp_path, "grpo.steps=6", "grpo.save_every=2",
                                                         "monitor.audit_every=1", "monitor.gate_threshold=0")]
    run_dir = tmp_path / "grpo/java_bst_tiny"
    killed, out = _run_until(args, run_dir / "checkpoints/step_2/trainer_state.json")
    assert killed and not (run_dir / "final").exists(), f"the run was not interrupted:\n{out[-3000:]}"
    done = subprocess.run([*args, "resume=true"], cwd=ROOT, env=SUBPROCESS_ENV, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "resuming from" in done.stdout and "step_" in done.stdout
    assert steps_of(run_dir / "metrics.jsonl") == [1, 2, 3, 4, 5, 6]
    assert sorted(set(steps_of(run_dir / "samples.jsonl"))) == [1, 2, 3, 4, 5, 6]
    assert len(steps_of(run_dir / "samples.jsonl")) == 6 * 4  # 2 prompts x greedy + sampled, once per step
    assert (run_dir / "final/config.json").exists()


def test_two_cpu_ranks_share_one_run_dir(tiny, tmp_path):
    """accelerate launch with launch/cpu_2proc.yaml starts two real gloo ranks; only rank 0 writes."""
    argv = [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(ROOT / "launch/cpu_2proc.yaml"),
            "--main_process_port", str(_free_port()), "-m", "rlvr.grpo",
            *overrides(tiny, tmp_path, "grpo.steps=2", "grpo.per_device_batch=2", "grpo.save_every=2",
                       "monitor.audit_every=1", "monitor.gate_threshold=0")]
    proc = subprocess.Popen(argv, cwd=ROOT, env=SUBPROCESS_ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=400)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, out[-4000:]
    assert "rank 0 of 2" in out and "rank 1 of 2" in out
    assert [p.name for p in (tmp_path / "grpo").iterdir()] == ["java_bst_tiny"]
    run_dir = tmp_path / "grpo/java_bst_tiny"
    assert steps_of(run_dir / "metrics.jsonl") == [1, 2]
    assert {p.name for p in (run_dir / "checkpoints/step_2").glob("rng_state_*.pth")} == {"rng_state_0.pth",
                                                                                           "rng_state_1.pth"}


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available() or importlib.util.find_spec("vllm") is None,
                    reason="needs a CUDA GPU and vLLM (pip install -e '.[vllm]')")
def test_vllm_colocate_generation_trains_and_cuts_at_the_close(tiny, tmp_path):
    """grpo.vllm=colocate: TRL's vLLM engine generates, rlvr cuts each row at its method close."""
    from rlvr.grpo import run

    cfg = compose("grpo", overrides(tiny, tmp_path, "grpo.steps=2", "grpo.save_every=0", "grpo.vllm=colocate",
                                    "device=cuda", "monitor.audit_every=1", "monitor.gate_threshold=0"))
    run(cfg)
    rows = read_jsonl(cfg.run_dir / "metrics.jsonl")
    assert [r["step"] for r in rows] == [1, 2] and all(0 <= r["reward/mean"] <= 2 for r in rows)
    assert all(r["completions/mean_length"] <= 16 + 1 for r in rows)  # max_new_tokens, + the EOS after a close
