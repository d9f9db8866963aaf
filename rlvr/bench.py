"""Benchmarks that print a ratio against a baseline run in the same process.

    python -m rlvr.bench verifier [--n 512] [--naive 64] [--workers 0] [--jvm-arg=-XX:...]
        [--samples outputs/sft/RUN/samples.jsonl --samples-tasks data/java_gen/tasks.jsonl]
    python -m rlvr.bench grpo model=gpt2_124m [hydra overrides, e.g. grpo.steps=4]

verifier: a fixed batch (seed 0) of `--n` programs from data/java_bst/tasks.jsonl (HumanEval-X
if that file is missing): ~1/3 reference solutions, ~1/3 compile errors (truncated or a dropped
`;`), ~1/3 wrong answers (a statement dropped or an operator flipped) with ~3 % infinite loops,
~30 % of the batch exact duplicates. The pool verifies the whole batch; its start-up and a JIT
warm-up on the task references are timed apart and not counted (a training run's pool stays
warm). The naive path -- what seed code does: per program a temp dir, one `javac` process and
one `java -ea Main` process, one program per core at a time -- runs on a `--naive` subset with
the batch's mix of kinds x pool statuses, and its programs/s is extrapolated. Every subset
program's status must agree between the two (pass / compile_error / failure); the last line is
the ratio. `--samples FILE` (rows with task_id + completion, e.g. an SFT run's samples.jsonl; by
default the tiny default's, once README command 1 has run) also times the pool on those real
completions -- where compile errors dominate -- and prints their rate.

grpo: a random-init model at a named GPT-2 size (vocab 50,257, the model's n_positions) runs a few
GRPO steps through rlvr's GRPO stage (`rlvr.grpo.run`, timings from its metrics.jsonl), then the
same steps through TRL's GRPOTrainer with its defaults and a reward that runs javac + java per
completion. Both print completion tokens/s, the generate / verify / loss+backward split and peak
memory (CUDA max allocated, or the process's peak RSS on CPU); each side runs in a fresh process.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rlvr.benchmarks import HUMANEVAL_X_JAVA
from rlvr.runlog import read_jsonl, read_jsonl_skipping
from rlvr.tasks import Task, cut_completion, load_tasks
from rlvr.verifier import VerifierConfig, make_pool, sandbox, sandbox_failure
from rlvr.verifier.config import resolved_workers
from rlvr.verifier.java import assemble_tests, solution_file_name

ROOT = Path(__file__).resolve().parent.parent
OUR_TASKS = ROOT / "data" / "java_bst" / "tasks.jsonl"
# the realistic batch by default: what README command 1's SFT stage sampled, if it has run here
DEFAULT_SAMPLES = (ROOT / "outputs" / "sft" / "java_gen_tiny" / "samples.jsonl", ROOT / "data" / "java_gen" / "tasks.jsonl")
LOOP_SHARE = 0.03  # of unique programs: infinite loops are rare in sampled code, and each costs a full timeout


# ----------------------------------------------------------------------------- the batch

def broken(reference: str, rng: random.Random) -> str:
    """A completion that does not compile: truncated mid-body, or one `;` dropped."""
    semis = [i for i, c in enumerate(reference) if c == ";"]
    if semis and rng.random() < 0.5:
        i = rng.choice(semis)
        return reference[:i] + reference[i + 1:]
    return reference[: rng.randint(1, max(1, int(len(reference) * 0.7)))]


def wrong(reference: str, rng: random.Random) -> str:
    """A completion that compiles but (almost always) answers wrong: a statement dropped or an operator flipped."""
    lines = reference.split("\n")
    candidates = [i for i, line in enumerate(lines) if line.strip().endswith(";") and "return" not in line
                  and not line.strip().startswith(("int ", "long ", "String ", "double ", "boolean ", "var "))]
    if candidates and rng.random() < 0.5:
        del lines[rng.choice(candidates)]
        return "\n".join(lines)
    for old, new in ((" + ", " - "), (" < ", " > "), (" == ", " != "), (" - ", " + ")):
        if old in reference:
            return reference.replace(old, new, 1)
    return "\n        if (true) throw new AssertionError(\"wrong\");" + reference


def build_batch(tasks: list[Task], n: int) -> list[tuple[Task, str, str]]:
    """(task, completion, kind) x n: unique programs by thirds, then ~30 % exact duplicates; seeded."""
    rng = random.Random(0)
    tasks = [t for t in tasks if t.reference and t.language == "java"]
    unique_n = round(n * 0.7)
    unique: list[tuple[Task, str, str]] = []
    while len(unique) < unique_n:
        task = rng.choice(tasks)
        third = len(unique) % 3
        if third == 0:
            completion, kind = task.reference, "correct"
        elif third == 1:
            completion, kind = broken(task.reference, rng), "compile error"
        elif rng.random() < LOOP_SHARE * 3:
            completion, kind = "\n        if (true) { while (true) { } }" + task.reference, "infinite loop"
        else:
            completion, kind = wrong(task.reference, rng), "wrong answer"
        # a comment line makes each sample distinct, as sampled programs are; duplicates come below
        completion = f"\n        // sample {len(unique)}" + completion
        unique.append((task, completion, kind))
    batch = unique + [rng.choice(unique) for _ in range(n - unique_n)]
    rng.shuffle(batch)
    return batch


def real_batch(path: str, tasks: dict[str, Task]) -> list[tuple[Task, str]]:
    """(task, completion) for each row of `path` whose task_id is one of `tasks` (others are counted, skipped)."""
    rows, unreadable = read_jsonl_skipping(Path(path))  # a torn last line, or not JSON at all: counted below
    usable = [(tasks[r["task_id"]], r["completion"]) for r in rows
              if r.get("task_id") in tasks and isinstance(r.get("completion"), str)]
    if skipped := unreadable + len(rows) - len(usable):
        print(f"realistic batch: skipped {skipped} rows of {path} (task_id not in the bench's task file, or no completion)")
    return usable


# ----------------------------------------------------------------------------- the naive path

def naive_status(task: Task, completion: str, cfg: VerifierConfig) -> str:
    """One javac + one `java -ea Main` process in a fresh temp dir; exit codes mapped to statuses."""
    solution = task.prompt + cut_completion(task, completion)
    with tempfile.TemporaryDirectory(prefix="rlvr-naive-") as tmp:
        Path(tmp, solution_file_name(task.prompt)).write_text(solution)
        Path(tmp, "Main.java").write_text(assemble_tests(task.prompt, task.tests))
        try:
            javac = subprocess.run(["javac", "-nowarn", "-d", tmp, *sorted(str(p) for p in Path(tmp).glob("*.java"))],
                                   capture_output=True, text=True,
                                   timeout=cfg.compile_timeout_s * 3)  # a javac process alone takes seconds here
            if javac.returncode != 0:
                return "compile_error"
            java = subprocess.run(["java", "-ea", f"-Xmx{cfg.memory_mb}m", "-cp", tmp, "Main"], capture_output=True,
                                  text=True, timeout=cfg.run_timeout_s, cwd=tmp)
        except subprocess.TimeoutExpired:
            return "timeout"
    if java.returncode == 0:
        return "pass"
    return "test_failure" if "AssertionError" in java.stderr else "runtime_error"


def stratified_subset(strata: list[str], k: int) -> list[int]:
    """k indices whose mix of `strata` labels matches the whole list's (largest remainders); seeded."""
    rng = random.Random(1)
    groups: dict[str, list[int]] = {}
    for i, label in enumerate(strata):
        groups.setdefault(label, []).append(i)
    quotas = {label: k * len(ids) / len(strata) for label, ids in groups.items()}
    counts = {label: int(q) for label, q in quotas.items()}
    for label in sorted(quotas, key=lambda lb: quotas[lb] - counts[lb], reverse=True)[: k - sum(counts.values())]:
        counts[label] += 1
    return sorted(i for label, ids in groups.items() for i in rng.sample(ids, counts[label]))


def coarse(status: str) -> str:
    return status if status in ("pass", "compile_error") else "failure"


def status_counts(verdicts) -> str:
    """e.g. 'compile_error 8, pass 3, test_failure 1; cached 4'."""
    counts = Counter(v.status for v in verdicts).most_common()
    return ", ".join(f"{s} {c}" for s, c in counts) + f"; cached {sum(v.cached for v in verdicts)}"


def timed(fn, *args):
    """(fn(*args), its wall-clock seconds)."""
    started = time.monotonic()
    result = fn(*args)
    return result, time.monotonic() - started


# ----------------------------------------------------------------------------- benchmarks

def bench_verifier(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m rlvr.bench verifier")
    parser.add_argument("--n", type=int, default=512, help="programs in the batch")
    parser.add_argument("--naive", type=int, default=64,
                        help="programs the naive path runs (a subset; 0 = pool only, no ratio)")
    parser.add_argument("--workers", type=int, default=0, help="worker JVMs (0 = this node's cores / its ranks)")
    parser.add_argument("--samples", help="jsonl of real completions (task_id + completion): their rate is printed too")
    parser.add_argument("--samples-tasks", help="the task file of --samples' task ids (default: the batch's)")
    parser.add_argument("--no-stop-threads", action="store_true", help="a timeout restarts its worker instead of stopping the program in place")
    parser.add_argument("--jvm-arg", action="append", default=[], help="appended to the worker JVM's flags (repeatable)")
    args = parser.parse_args(argv)
    if not args.samples and DEFAULT_SAMPLES[0].is_file():
        args.samples, args.samples_tasks = map(str, DEFAULT_SAMPLES)
    problems = [message for bad, message in [
        (args.n < 1, "--n must be >= 1"), (args.naive < 0, "--naive must be >= 0"),
        (args.workers < 0, "--workers must be >= 0 (0 = this node's cores / its ranks)"),
        (not all(a.startswith("-") for a in args.jvm_arg), "--jvm-arg must be a JVM flag starting with '-'"),
        (bool(args.samples) and not Path(args.samples).is_file(), f"--samples {args.samples}: no such file"),
        (bool(args.samples_tasks) and not Path(args.samples_tasks).is_file(),
         f"--samples-tasks {args.samples_tasks}: no such file")] if bad]
    source = OUR_TASKS if OUR_TASKS.is_file() else HUMANEVAL_X_JAVA
    if args.samples and not problems:
        try:
            real = real_batch(args.samples, {t.id: t for t in load_tasks(args.samples_tasks or source)})
            if not real:
                problems.append(f"--samples {args.samples}: no row holds a completion for a task of {args.samples_tasks or source}")
        except (OSError, ValueError) as e:  # TaskFileError is a ValueError naming the file and line
            problems.append(str(e))
    if problems:  # before any JVM starts
        print(f"rlvr.bench verifier: error: {problems[0]}", file=sys.stderr)
        return 2
    cfg = VerifierConfig(workers=args.workers, stop_threads=not args.no_stop_threads, jvm_args=args.jvm_arg)
    cores = os.cpu_count() or 1

    tasks = load_tasks(source)
    batch = build_batch(tasks, args.n)
    kinds = Counter(kind for _, _, kind in batch)
    duplicates = len(batch) - len({(t.id, cut_completion(t, c)) for t, c, _ in batch})
    print(f"batch: {len(batch)} programs from {source} ({len(tasks)} tasks): "
          + ", ".join(f"{count} {kind}" for kind, count in kinds.most_common()) + f"; {duplicates} exact duplicates")

    with make_pool(cfg) as pool:
        # a training run's pool is long warm: start the JVMs and warm their JIT on the references,
        # keyed apart from the batch (the task id is part of the cache key)
        warm = [dataclasses.replace(t, id=f"warm-up/{t.id}") for t in tasks if t.reference][:128]
        _, startup_s = timed(pool.verify, warm, [t.reference for t in warm])
        verdicts, pool_s = timed(pool.verify, [t for t, _, _ in batch], [c for _, c, _ in batch])
        if why := sandbox_failure(verdicts):  # a rate of programs nobody judged is no figure
            print(f"rlvr.bench verifier: error: {why}", file=sys.stderr)
            return 1
        if args.samples:
            real_verdicts, real_s = timed(pool.verify, [t for t, _ in real], [c for _, c in real])
            print(f"realistic batch: {len(real)} completions from {args.samples} in {real_s:.1f} s = "
                  f"{len(real) / max(real_s, 1e-9):.1f} programs/s; {status_counts(real_verdicts)}")
        else:
            print(f"realistic batch: none (README command 1 writes {DEFAULT_SAMPLES[0].relative_to(ROOT)}; or --samples FILE)")
    pool_rate = len(batch) / pool_s
    print(f"pool: {len(batch)} programs in {pool_s:.1f} s = {pool_rate:.1f} programs/s "
          f"(workers={resolved_workers(cfg)} x {cfg.threads_per_worker} threads, stop_threads={cfg.stop_threads}, "
          f"sandbox={'bwrap' if sandbox.use_bwrap(cfg.sandbox) else 'none'}; "
          f"start-up + warm-up on {len(warm)} other programs {startup_s:.1f} s not counted); {status_counts(verdicts)}")

    if args.naive <= 0:
        return 0
    # same mix as the batch in what costs time: kind of program x pool status (timeouts dominate)
    subset = stratified_subset([f"{kind}/{v.status}" for (_, _, kind), v in zip(batch, verdicts)],
                               min(args.naive, len(batch)))
    with ThreadPoolExecutor(max_workers=cores) as executor:
        naive, naive_s = timed(lambda: list(executor.map(lambda i: naive_status(*batch[i][:2], cfg), subset)))
    naive_rate = len(subset) / naive_s
    print(f"naive: {len(subset)}-program subset (the batch's mix of kinds and statuses, "
          f"{sum(s == 'timeout' for s in naive)} timeouts) in {naive_s:.1f} s = {naive_rate:.2f} programs/s "
          f"(one `javac` + one `java -ea Main` process per program, {cores} at a time; extrapolated to the batch)")

    disagree = [(batch[i][0].id, batch[i][2], verdicts[i].status, status)
                for i, status in zip(subset, naive) if coarse(verdicts[i].status) != coarse(status)]
    print(f"agreement: {len(subset) - len(disagree)}/{len(subset)} statuses agree (pass / compile_error / failure)")
    for task_id, kind, pool_status, naive_status_ in disagree:
        print(f"  DISAGREE {task_id} ({kind}): pool {pool_status}, naive {naive_status_}")
    print(f"ratio: {pool_rate / naive_rate:.1f}x")
    return 1 if disagree else 0


# ----------------------------------------------------------------------------- grpo at a named size

GRPO_DEFAULTS = ["grpo.steps=2", "grpo.num_generations=4", "grpo.per_device_batch=4", "grpo.grad_accum=1",
                 "grpo.save_every=0", "sampling.max_new_tokens=64", "monitor.audit_every=1000",
                 "monitor.audit_prompts=1"]  # a couple of small steps: minutes on 2 CPU cores at 124M
GPT2_VOCAB = 50257
BENCH_DIR = ROOT / "outputs" / "bench"
EOS = "<|endoftext|>"


def gpt2_sized_tokenizer(cache_dir: Path):
    """A byte-level BPE trained on data/java_bst's Java (task prompts, references, classes), padded
    with never-produced filler entries to GPT-2's 50,257 ids, eos <|endoftext|> = 50256 as in GPT-2.
    The small corpus cannot fill 50k merges; the padding gives the embedding and lm_head GPT-2's
    real size, which is what the benchmark measures. Cached in `cache_dir`."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from rlvr.models import load_tokenizer

    if (cache_dir / "tokenizer.json").is_file():
        return load_tokenizer(cache_dir)
    texts = [t.prompt + t.reference for t in load_tasks(OUR_TASKS)]
    texts += [p.read_text() for p in sorted((OUR_TASKS.parent / "classes").glob("*.java"))]
    raw = Tokenizer(models.BPE())
    raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    raw.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=GPT2_VOCAB - 1, show_progress=False,
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    trained = json.loads(raw.to_str())["model"]
    vocab, merges = dict(trained["vocab"]), [tuple(m) if isinstance(m, list) else tuple(m.split(" "))
                                            for m in trained["merges"]]
    for i in range(len(vocab), GPT2_VOCAB - 1):
        vocab[f"<|filler_{i}|>"] = i  # no merge produces it: never emitted, only sized
    vocab[EOS] = GPT2_VOCAB - 1
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens([EOS])
    PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=EOS).save_pretrained(cache_dir)
    print(f"bench grpo: tokenizer {len(merges)} merges on data/java_bst, padded to {GPT2_VOCAB} -> {cache_dir}")
    return load_tokenizer(cache_dir)


def peak_memory() -> dict:
    import resource

    import torch

    if torch.cuda.is_available():
        return {"memory_mb": torch.cuda.max_memory_allocated() / 2**20, "memory_kind": "CUDA max allocated"}
    return {"memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "memory_kind": "RSS of the Python process"}


def _rlvr_side(cfg) -> dict:
    """rlvr's GRPO stage, timings read back from its metrics.jsonl (in a fresh process: own peak memory)."""
    from rlvr import grpo

    grpo.run(cfg)
    rows = [r for r in read_jsonl(cfg.run_dir / "metrics.jsonl") if r.get("time/generate_s") is not None]
    return {"steps": len(rows), "generate_s": sum(r["time/generate_s"] for r in rows),
            "verify_s": sum(r.get("time/verify_s") or 0 for r in rows),
            "train_s": sum(r.get("time/train_s") or 0 for r in rows),
            "completion_tokens": sum(r.get("completions/mean_length", 0) * cfg.grpo.per_device_batch for r in rows),
            "reward": rows[-1].get("reward/mean") if rows else None, **peak_memory()}


def _trl_side(cfg) -> dict:
    """What a user without rlvr writes: TRL's GRPOTrainer with its defaults, a reward that runs
    javac + java per completion, the same model, prompts, batch and completion length."""
    import torch
    import trl
    from datasets import Dataset

    from rlvr.models import load_model

    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    model, tokenizer = load_model(cfg.model.path, dtype=cfg.model.dtype)
    tasks = {t.id: t for t in load_tasks(cfg.task.path, split="train")}
    timings = {"generate_s": 0.0, "verify_s": 0.0}

    def javac_reward(completions, task_id, **_):
        t0 = time.perf_counter()
        rewards = [1.0 if naive_status(tasks[i], c, cfg.verifier) == "pass" else 0.0 for i, c in zip(task_id, completions)]
        timings["verify_s"] += time.perf_counter() - t0
        return rewards

    class TimedGRPOTrainer(trl.GRPOTrainer):  # only measures: generation is TRL's own
        def _generate(self, prompts):
            t0 = time.perf_counter()
            result = super()._generate(prompts)
            timings["generate_s"] += time.perf_counter() - t0
            return result

    on_cpu = not torch.cuda.is_available()
    args = trl.GRPOConfig(output_dir=str(cfg.run_dir.with_name(cfg.run_dir.name + "_trl")), max_steps=cfg.grpo.steps,
                          per_device_train_batch_size=cfg.grpo.per_device_batch, num_generations=cfg.grpo.num_generations,
                          max_completion_length=cfg.sampling.max_new_tokens, save_strategy="no", report_to="none",
                          logging_steps=1, use_cpu=on_cpu, bf16=not on_cpu)  # TRL's bf16 default fails on CPU
    dataset = Dataset.from_list([{"prompt": t.prompt, "task_id": t.id} for t in tasks.values()])
    trainer = TimedGRPOTrainer(model=model, reward_funcs=javac_reward, args=args, train_dataset=dataset,
                               processing_class=tokenizer)
    trainer.train()
    rows = [h for h in trainer.state.log_history if "step_time" in h]
    step_s = sum(h["step_time"] for h in rows)
    return {"steps": len(rows), **timings, "train_s": max(0.0, step_s - timings["generate_s"] - timings["verify_s"]),
            "completion_tokens": sum(h.get("completions/mean_length", 0) * cfg.grpo.per_device_batch for h in rows),
            "reward": rows[-1].get("reward") if rows else None, **peak_memory()}


def bench_grpo(argv: list[str]) -> int:
    import multiprocessing
    import shutil
    from concurrent.futures import ProcessPoolExecutor

    import torch

    from rlvr.config import ConfigError, compose
    from rlvr.models import ModelLoadError, random_gpt2

    # 1. config: the stage's own composition, bench defaults first so the user's overrides win
    label = next((a.split("=", 1)[1] for a in argv if a.startswith("model=")), "tiny")
    try:
        cfg = compose("grpo", [*GRPO_DEFAULTS, *argv, f"out_dir={BENCH_DIR}", f"run=bench_{label}",
                               "model.tokenizer=null"])
    except Exception as e:  # Hydra reports unknown keys / groups with its own exception types
        print(f"rlvr.bench: error: grpo overrides {argv}: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    shape = cfg.model
    model_dir = BENCH_DIR / "models" / f"{label}_random_{shape.n_layer}x{shape.n_embd}"
    cfg.model.path = str(model_dir)  # nothing interpolates model.path
    if shape.n_positions < 1 or shape.vocab_size != GPT2_VOCAB:
        print(f"rlvr.bench: error: model.vocab_size={shape.vocab_size}: the grpo bench measures GPT-2 shapes "
              f"(vocab {GPT2_VOCAB}); pick model=gpt2_124m|gpt2_350m|gpt2_760m", file=sys.stderr)
        return 2

    # 2. model: random init at the named shape with a GPT-2-sized local tokenizer, saved once
    if not (model_dir / "model.safetensors").is_file():
        tokenizer = gpt2_sized_tokenizer(BENCH_DIR / "tokenizer_gpt2_size")
        torch.manual_seed(0)
        model = random_gpt2(shape.n_layer, shape.n_head, shape.n_embd, shape.n_positions, GPT2_VOCAB)
        model.save_pretrained(model_dir)
        tokenizer.save_pretrained(model_dir)
        del model
    for run_dir in (cfg.run_dir, cfg.run_dir.with_name(cfg.run_dir.name + "_trl")):
        shutil.rmtree(run_dir, ignore_errors=True)  # the bench's own scratch runs

    # 3. both sides, one after the other, each in a fresh process
    from rlvr import bench as importable  # spawned children resolve functions by module name, not __main__

    results = {}
    spawn = multiprocessing.get_context("spawn")
    for side, fn in (("rlvr", importable._rlvr_side), ("trl+javac", importable._trl_side)):
        started = time.perf_counter()
        try:
            with ProcessPoolExecutor(1, mp_context=spawn) as ex:
                results[side] = ex.submit(fn, cfg).result()
        except (ConfigError, ModelLoadError) as e:
            print(f"rlvr.bench: error: {e}", file=sys.stderr)
            return 2
        results[side]["wall_s"] = time.perf_counter() - started

    # 4. table
    n_params = sum(p.numel() for p in random_gpt2(shape.n_layer, shape.n_head, shape.n_embd, 8, GPT2_VOCAB).parameters())
    device = "cuda" if torch.cuda.is_available() else "cpu"
    print(f"\nbench grpo: {label} ({n_params / 1e6:.0f}M params, random init, vocab {GPT2_VOCAB}, "
          f"{shape.n_positions} positions) on {device}, {cfg.model.dtype}; {cfg.grpo.steps} steps x "
          f"{cfg.grpo.per_device_batch} completions (G={cfg.grpo.num_generations}), <= {cfg.sampling.max_new_tokens} new tokens")
    print(f"{'':10} {'steps':>5} {'compl tok/s':>11} {'generate s':>10} {'verify s':>9} {'loss+bwd s':>10} "
          f"{'peak MB':>8} {'wall s':>7}")
    for side, r in results.items():
        step_s = r["generate_s"] + r["verify_s"] + r["train_s"]
        print(f"{side:10} {r['steps']:>5} {r['completion_tokens'] / max(step_s, 1e-9):>11.1f} {r['generate_s']:>10.1f} "
              f"{r['verify_s']:>9.1f} {r['train_s']:>10.1f} {r['memory_mb']:>8.0f} {r['wall_s']:>7.0f}")
    print(f"peak memory: {results['rlvr']['memory_kind']} (JVM / javac processes not included); wall includes "
          "process start and model load; tok/s = completion tokens / (generate + verify + loss+backward)")
    verify_ratio = results["trl+javac"]["verify_s"] / max(results["rlvr"]["verify_s"], 1e-9)
    print(f"verify ratio (javac per completion / rlvr pool): {verify_ratio:.1f}x")
    return 0


BENCHES = {"verifier": bench_verifier, "grpo": bench_grpo}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in BENCHES:
        print(f"usage: python -m rlvr.bench {{{'|'.join(BENCHES)}}} [options]", file=sys.stderr)
        return 2
    return BENCHES[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
