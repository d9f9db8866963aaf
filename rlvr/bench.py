"""Benchmarks that print a ratio against a baseline run in the same process.

    python -m rlvr.bench verifier [--n 512] [--naive 64] [--workers 0] [--samples outputs/sft/RUN/samples.jsonl]

verifier: a fixed batch (seed 0) of `--n` programs from data/java_bst/tasks.jsonl (HumanEval-X
if that file is missing): ~1/3 reference solutions, ~1/3 compile errors (truncated or a dropped
`;`), ~1/3 wrong answers (a statement dropped or an operator flipped) with ~3 % infinite loops,
~30 % of the batch exact duplicates. The pool verifies the whole batch; its start-up and a JIT
warm-up on the task references are timed apart and not counted (a training run's pool stays
warm). The naive path -- what seed code does: per program a temp dir, one `javac` process and
one `java -ea Main` process, one program per core at a time -- runs on a `--naive` subset with
the batch's mix of kinds x pool statuses, and its programs/s is extrapolated. Every subset
program's status must agree between the two (pass / compile_error / failure); the last line is
the ratio. `--samples FILE` (rows with task_id + completion, e.g. an SFT run's samples.jsonl) also
times the pool on those real completions -- where compile errors dominate -- and prints their rate.
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

from rlvr.benchmarks import HUMANEVAL_X_JAVA, load_benchmark
from rlvr.tasks import Task, cut_completion
from rlvr.verifier import VerifierConfig, make_pool, sandbox
from rlvr.verifier.config import resolved_workers
from rlvr.verifier.java import assemble_tests, solution_file_name

ROOT = Path(__file__).resolve().parent.parent
OUR_TASKS = ROOT / "data" / "java_bst" / "tasks.jsonl"
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


def looping(reference: str) -> str:
    return "\n        if (true) { while (true) { } }" + reference


def build_batch(tasks: list[Task], n: int, seed: int = 0) -> list[tuple[Task, str, str]]:
    """(task, completion, kind) x n: unique programs by thirds, then ~30 % exact duplicates."""
    rng = random.Random(seed)
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
            completion, kind = looping(task.reference), "infinite loop"
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
    rows, skipped = [], 0
    for line in Path(path).read_text().splitlines():
        row = json.loads(line) if line.strip() else None
        if isinstance(row, dict) and row.get("task_id") in tasks and isinstance(row.get("completion"), str):
            rows.append((tasks[row["task_id"]], row["completion"]))
        elif row is not None:
            skipped += 1
    if skipped:
        print(f"realistic batch: skipped {skipped} rows of {path} (task_id not in the bench's task file, or no completion)")
    return rows


# ----------------------------------------------------------------------------- the naive path

def naive_status(task: Task, completion: str, cfg: VerifierConfig) -> str:
    """One javac + one `java -ea Main` process in a fresh temp dir; exit codes mapped to statuses."""
    solution = task.prompt + cut_completion(task, completion)
    with tempfile.TemporaryDirectory(prefix="rlvr-naive-") as tmp:
        Path(tmp, solution_file_name(solution)).write_text(solution)
        Path(tmp, "Main.java").write_text(assemble_tests(solution, task.tests))
        try:
            javac = subprocess.run(["javac", "-nowarn", "-d", tmp, *sorted(str(p) for p in Path(tmp).glob("*.java"))],
                                   capture_output=True, text=True,
                                   timeout=cfg.compile_timeout_s * 3)  # a javac process alone takes seconds here
        except subprocess.TimeoutExpired:
            return "timeout"
        if javac.returncode != 0:
            return "compile_error"
        try:
            java = subprocess.run(["java", "-ea", f"-Xmx{cfg.memory_mb}m", "-cp", tmp, "Main"], capture_output=True,
                                  text=True, timeout=cfg.run_timeout_s, cwd=tmp)
        except subprocess.TimeoutExpired:
            return "timeout"
    if java.returncode == 0:
        return "pass"
    return "test_failure" if "AssertionError" in java.stderr else "runtime_error"


def stratified_subset(strata: list[str], k: int, seed: int = 1) -> list[int]:
    """k indices whose mix of `strata` labels matches the whole list's (largest remainders)."""
    rng = random.Random(seed)
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


# ----------------------------------------------------------------------------- benchmarks

def bench_verifier(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m rlvr.bench verifier")
    parser.add_argument("--n", type=int, default=512, help="programs in the batch")
    parser.add_argument("--naive", type=int, default=64,
                        help="programs the naive path runs (a subset; 0 = pool only, no ratio)")
    parser.add_argument("--workers", type=int, default=0, help="worker JVMs (0 = this node's cores / its ranks)")
    parser.add_argument("--samples", help="jsonl of real completions (task_id + completion): their rate is printed too")
    parser.add_argument("--no-stop-threads", action="store_true", help="as on JDK 20+: a timeout restarts its worker")
    args = parser.parse_args(argv)
    cfg = VerifierConfig(workers=args.workers, stop_threads=not args.no_stop_threads)
    cores = os.cpu_count() or 1

    source = OUR_TASKS if OUR_TASKS.is_file() else HUMANEVAL_X_JAVA
    tasks = load_benchmark(source)
    batch = build_batch(tasks, args.n)
    kinds = Counter(kind for _, _, kind in batch)
    duplicates = len(batch) - len({(t.id, cut_completion(t, c)) for t, c, _ in batch})
    print(f"batch: {len(batch)} programs from {source} ({len(tasks)} tasks): "
          + ", ".join(f"{count} {kind}" for kind, count in kinds.most_common()) + f"; {duplicates} exact duplicates")

    with make_pool(cfg) as pool:
        started = time.monotonic()
        # a training run's pool is long warm: start the JVMs and warm their JIT on the references,
        # keyed apart from the batch (the task id is part of the cache key)
        warm = [dataclasses.replace(t, id=f"warm-up/{t.id}") for t in tasks if t.reference][:128]
        pool.verify(warm, [t.reference for t in warm])
        startup_s = time.monotonic() - started
        started = time.monotonic()
        verdicts = pool.verify([t for t, _, _ in batch], [c for _, c, _ in batch])
        pool_s = time.monotonic() - started
        if args.samples:
            real = real_batch(args.samples, {t.id: t for t in tasks})
            started = time.monotonic()
            real_verdicts = pool.verify([t for t, _ in real], [c for _, c in real])
            real_s = time.monotonic() - started
            print(f"realistic batch: {len(real)} completions from {args.samples} in {real_s:.1f} s = "
                  f"{len(real) / max(real_s, 1e-9):.1f} programs/s; "
                  + ", ".join(f"{s} {c}" for s, c in Counter(v.status for v in real_verdicts).most_common())
                  + f"; cached {sum(v.cached for v in real_verdicts)}")
    pool_rate = len(batch) / pool_s
    statuses = Counter(v.status for v in verdicts)
    print(f"pool: {len(batch)} programs in {pool_s:.1f} s = {pool_rate:.1f} programs/s "
          f"(workers={resolved_workers(cfg)} x {cfg.threads_per_worker} threads, stop_threads={cfg.stop_threads}, "
          f"sandbox={'bwrap' if sandbox.use_bwrap(cfg.sandbox) else 'none'}; "
          f"start-up + warm-up on {len(warm)} other programs {startup_s:.1f} s not counted); "
          + ", ".join(f"{s} {c}" for s, c in statuses.most_common())
          + f"; cached {sum(v.cached for v in verdicts)}")

    if args.naive <= 0:
        return 0
    # same mix as the batch in what costs time: kind of program x pool status (timeouts dominate)
    subset = stratified_subset([f"{kind}/{v.status}" for (_, _, kind), v in zip(batch, verdicts)],
                               min(args.naive, len(batch)))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=cores) as executor:
        naive = list(executor.map(lambda i: naive_status(batch[i][0], batch[i][1], cfg), subset))
    naive_s = time.monotonic() - started
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


BENCHES = {"verifier": bench_verifier}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in BENCHES:
        print(f"usage: python -m rlvr.bench {{{'|'.join(BENCHES)}}} [options]", file=sys.stderr)
        return 2
    return BENCHES[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
