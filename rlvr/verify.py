"""Verify a file of completions: one Verdict line per input line, in input order.

    python -m rlvr.verify --tasks data/java_bst/tasks.jsonl --completions C.jsonl [--out V.jsonl]
    python -m rlvr.verify --tasks ../shared/benchmarks/humaneval-x-java/humaneval_java.jsonl \\
        --completions C.jsonl --reward binary --workers 2

`--tasks` may be our tasks.jsonl or a HumanEval-X / MBJP file (detected by fields). Completion
lines are `{"task_id": ..., "completion": ...}`; each output line is the input object plus the
Verdict fields. A line that cannot be read (bad JSON, missing field, unknown task) is reported
on stderr with its line number and written as a `sandbox_error` row; the rest is still verified.
Progress goes to stderr, then a count per status.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections import Counter

from tqdm import tqdm

from rlvr.benchmarks import load_benchmark
from rlvr.tasks import Task
from rlvr.verifier import VerifierConfig, make_pool

CHUNK = 64  # completions per pool call: bounds memory and drives the progress bar


def parse_completions(lines: list[str], tasks: dict[str, Task]) -> list[tuple[dict, Task | None, str]]:
    """(row, task, problem) per non-blank line; `problem` is empty when the line is usable."""
    parsed = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            parsed.append(({"line": lineno}, None, f"line {lineno}: not valid JSON ({e.msg})"))
            continue
        if not isinstance(row, dict):
            parsed.append(({"line": lineno}, None, f"line {lineno}: expected a JSON object"))
            continue
        task_id, completion = row.get("task_id"), row.get("completion")
        if not isinstance(completion, str):
            problem = f"line {lineno}: field 'completion' missing or not a string"
        elif task_id not in tasks:
            problem = f"line {lineno}: unknown task_id {task_id!r}"
        else:
            problem = ""
        parsed.append((row, tasks.get(task_id) if not problem else None, problem))
    return parsed


def verdict_row(row: dict, verdict) -> dict:
    fields = dataclasses.asdict(verdict)
    if math.isnan(fields["reward"]):
        fields["reward"] = None  # JSON has no NaN; None = not judged
    return {**row, **fields}


def skipped_row(row: dict, problem: str) -> dict:
    return {**row, "reward": None, "status": "sandbox_error", "compiled": False, "tests_passed": 0,
            "tests_total": 0, "error": problem, "seconds": 0.0, "cached": False}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rlvr.verify", description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", required=True, help="tasks.jsonl, HumanEval-X or MBJP jsonl")
    parser.add_argument("--completions", required=True, help='jsonl of {"task_id", "completion"}')
    parser.add_argument("--out", help="output jsonl (default: stdout)")
    parser.add_argument("--reward", help="tiered | binary | partial | coderl (default from VerifierConfig)")
    parser.add_argument("--workers", type=int, help="worker JVMs (default: one per core)")
    parser.add_argument("--sandbox", help="auto | bwrap | none")
    args = parser.parse_args(argv)

    overrides = {k: v for k, v in (("reward", args.reward), ("workers", args.workers), ("sandbox", args.sandbox))
                 if v is not None}
    cfg = VerifierConfig(**overrides)
    tasks = {task.id: task for task in load_benchmark(args.tasks)}
    with open(args.completions) as f:
        parsed = parse_completions(f.read().splitlines(), tasks)
    for _, _, problem in parsed:
        if problem:
            print(f"rlvr.verify: {args.completions}: {problem}", file=sys.stderr)

    out = open(args.out, "w") if args.out else sys.stdout
    statuses: Counter[str] = Counter()
    try:
        with make_pool(cfg) as pool, tqdm(total=len(parsed), desc="verify", unit="prog", file=sys.stderr) as bar:
            for start in range(0, len(parsed), CHUNK):
                chunk = parsed[start:start + CHUNK]
                good = [(row, task) for row, task, problem in chunk if not problem]
                verdicts = iter(pool.verify([t for _, t in good], [r["completion"] for r, _ in good]))
                for row, task, problem in chunk:
                    result = skipped_row(row, problem) if problem else verdict_row(row, next(verdicts))
                    statuses[result["status"]] += 1
                    out.write(json.dumps(result) + "\n")
                out.flush()
                bar.update(len(chunk))
    finally:
        if args.out:
            out.close()
    total = sum(statuses.values())
    summary = ", ".join(f"{status} {count}" for status, count in statuses.most_common())
    print(f"rlvr.verify: {total} completions: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
