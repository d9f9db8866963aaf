"""Verify a file of completions: one Verdict line per input line, in input order.

    python -m rlvr.verify --tasks data/java_bst/tasks.jsonl --completions C.jsonl [--out V.jsonl]
    python -m rlvr.verify --tasks ../shared/benchmarks/humaneval-x-java/humaneval_java.jsonl \\
        --completions C.jsonl --reward binary --workers 2
    python -m rlvr.verify ... --sandbox none --jvm-arg=-Djava.security.manager=disallow --no-stop-threads
        (the weakest layers: no SecurityManager, and every timed-out program's worker restarted)

`--tasks` may be our tasks.jsonl or a HumanEval-X / MBJP file (detected by fields). Completion
lines are `{"task_id": ..., "completion": ...}`; each output line is the input object plus the
Verdict fields. A line that cannot be read (bad JSON, not UTF-8, a missing field, an unknown task)
is reported on stderr with its line number and written as a `sandbox_error` row; the rest is still
verified, and the exit code is then 1 (so it is when the pool itself failed on half the programs).
Progress goes to stderr, then a count per status. A bad flag value, an unreadable --tasks /
--completions file, or an --out that is one of them is one `rlvr.verify: error: ...` line, exit 2.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from tqdm import tqdm

from rlvr.tasks import Task, load_tasks
from rlvr.verifier import VerifierConfig, check_config, make_pool, sandbox_failure
from rlvr.verifier.verdict import sandbox_error, to_verdict

CHUNK = 64  # completions per pool call: bounds memory and drives the progress bar


def parse_completions(lines: list[bytes], tasks: dict[str, Task]) -> list[tuple[dict, Task | None, str]]:
    """(row, task, problem) per non-blank line; `problem` is empty when the line is usable."""
    parsed = []
    for lineno, line in enumerate(lines, 1):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as e:
            parsed.append(({"line": lineno}, None, f"line {lineno}: not UTF-8 (byte {e.start})"))
            continue
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
        elif not isinstance(task_id, str) or task_id not in tasks:
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


def fail(message: str) -> int:
    print(f"rlvr.verify: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rlvr.verify", description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", required=True, help="tasks.jsonl, HumanEval-X or MBJP jsonl")
    parser.add_argument("--completions", required=True, help='jsonl of {"task_id", "completion"}')
    parser.add_argument("--out", help="output jsonl (default: stdout)")
    parser.add_argument("--reward", help="tiered | binary | partial | coderl (default from VerifierConfig)")
    parser.add_argument("--workers", type=int, help="worker JVMs (default: this node's cores / its ranks)")
    parser.add_argument("--threads-per-worker", type=int, help="programs one worker JVM runs at once")
    parser.add_argument("--run-timeout-s", type=float, help="the most one program may run")
    parser.add_argument("--sandbox", help="auto | bwrap | none")
    parser.add_argument("--jvm-arg", action="append", default=[], metavar="ARG",
                        help="appended to the worker JVM's flags (repeatable; write --jvm-arg=-D...)")
    parser.add_argument("--no-stop-threads", action="store_true",
                        help="stop a timed-out program by restarting its worker, not in place")
    args = parser.parse_args(argv)

    # 1. every value checked before a file is read or a JVM started
    from rlvr.config import ConfigError

    flags = ("reward", "workers", "threads_per_worker", "run_timeout_s", "sandbox")  # unset: VerifierConfig's default
    cfg = VerifierConfig(**{k: getattr(args, k) for k in flags if getattr(args, k) is not None},
                         jvm_args=list(args.jvm_arg), stop_threads=not args.no_stop_threads)
    try:
        check_config(cfg)
    except ConfigError as e:
        return fail(str(e))
    # 2. the inputs
    try:
        tasks = {task.id: task for task in load_tasks(args.tasks)}
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as e:
        return fail(f"--tasks: {e}" if str(args.tasks) in str(e) else f"--tasks {args.tasks}: {type(e).__name__}: {e}")
    try:
        with open(args.completions, "rb") as f:
            parsed = parse_completions(f.read().splitlines(), tasks)
    except OSError as e:
        return fail(f"--completions {args.completions}: {e.strerror or e}")
    problems = [problem for _, _, problem in parsed if problem]
    for problem in problems:
        print(f"rlvr.verify: {args.completions}: {problem}", file=sys.stderr)
    if args.out and any(Path(args.out).resolve() == Path(p).resolve() for p in (args.tasks, args.completions)):
        return fail(f"--out {args.out} is an input file: writing verdicts there would destroy it")
    try:
        out_file = open(args.out, "w") if args.out else nullcontext(sys.stdout)
    except OSError as e:
        return fail(f"--out {args.out}: {e.strerror}")

    # 3. verify, chunk by chunk
    statuses: Counter[str] = Counter()
    judged = []  # the pool's verdicts: whether the pool itself failed
    with out_file as out, make_pool(cfg) as pool, \
            tqdm(total=len(parsed), desc="verify", unit="prog", file=sys.stderr) as bar:
        for start in range(0, len(parsed), CHUNK):
            chunk = parsed[start:start + CHUNK]
            good = [(row, task) for row, task, problem in chunk if not problem]
            chunk_verdicts = pool.verify([t for _, t in good], [r["completion"] for r, _ in good])
            judged += chunk_verdicts
            verdicts = iter(chunk_verdicts)
            for row, task, problem in chunk:
                verdict = to_verdict(sandbox_error(problem), cfg.reward) if problem else next(verdicts)
                result = verdict_row(row, verdict)
                statuses[result["status"]] += 1
                out.write(json.dumps(result) + "\n")
            out.flush()
            bar.update(len(chunk))
    summary = ", ".join(f"{status} {count}" for status, count in statuses.most_common())
    print(f"rlvr.verify: {len(parsed)} completions: {summary}", file=sys.stderr)
    if why := sandbox_failure(judged):  # verdicts that judge nothing: a script must not read them as results
        print(f"rlvr.verify: error: {why}", file=sys.stderr)
        return 1
    if problems:  # every other line still has its verdict; the exit code tells a script the input was bad
        print(f"rlvr.verify: {len(problems)} line(s) of {args.completions} could not be read (above): exit 1",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
