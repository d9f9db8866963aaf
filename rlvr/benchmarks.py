"""Public Java benchmarks as Tasks: HumanEval-X (Java), MBJP and MultiPL-E's Java, plus our own tasks.jsonl.

    tasks = load_tasks(HUMANEVAL_X_JAVA)  # rlvr.tasks reads every format, line by line, through task_from_any
    train = load_tasks("../shared/benchmarks/mbjp/mbjp_release_v1.2.jsonl", split="train")
    print(check_canonical(pool, tasks))  # "canonical check: mbjp_release_v1.2 863/874 pass ..."

Each line's format is detected by its fields: ours has `id` + `tests` (DESIGN.md "Task format");
HumanEval-X and MBJP have `task_id` + `test` and map to Task(id=task_id, prompt, tests=test,
reference=canonical_solution). The published harness (`prompt + solution + test` in one file, run
`Main`) and the pool's two-unit assembly (rlvr/verifier/java.py) agree. Prompts end in "{\n"; the
trailing whitespace moves to the front of the reference, so the prompt ends on `{` (a bare
newline token at the end of a prompt derails a byte-level BPE model) and prompt + reference is
the published program unchanged.

MultiPL-E (`name`, `prompt`, `tests`, no solutions) runs `class Problem` with `java -ea`: its `tests`
close the method, then add Problem's `main` of `assert`s. Here they become `class Main extends Problem`
(the method stays in scope by its simple name), which the pool runs as it runs any Main. Every prompt
imports `org.javatuples`, which the verifier's JDK-only classpath lacks: the import is dropped, and
javatuples' Pair, the one tuple MultiPL-E's HumanEval uses, is a record appended to the tests' unit;
a problem naming another tuple class keeps the import and cannot compile.
MultiPL-E's Python records (`"language": "py"`) run as MultiPL-E runs them: prompt + completion up to
a stop token + tests.

Splits: HumanEval-X and MultiPL-E's HumanEval are all "eval". MBJP (`+exp=mbjp`) and MultiPL-E's
MBPP are split deterministically by a hash of the task id: HELD_OUT_PERCENT of their problems are
"eval" (held out from SFT and GRPO), the rest "train"; the split never depends on file order or on
which problems have a solution.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from rlvr.tasks import Task, TaskFileError, task_from_record

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BENCHMARKS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
HUMANEVAL_X_JAVA = BENCHMARKS_DIR / "humaneval-x-java" / "humaneval_java.jsonl"
HELD_OUT_PERCENT = 20
JAVATUPLES = re.compile(r"\b(?:Unit|Pair|Triplet|Quartet|Quintet|Sextet|Septet|Octet|Ennead|Decade|KeyValue"
                        r"|LabelValue)\b")
# javatuples' Pair as MultiPL-E's prompts and tests use it (with, getValue0/1, equals, "[a, b]"), in the
# tests' unit: the program's class sees it in the same package, and no jar is needed
JAVATUPLES_PAIR = """
record Pair<A, B>(A getValue0, B getValue1) {
    public static <A, B> Pair<A, B> with(A value0, B value1) { return new Pair<>(value0, value1); }
    public Object getValue(int pos) { return pos == 0 ? getValue0 : pos == 1 ? getValue1 : null; }
    public int getSize() { return 2; }
    public String toString() { return "[" + getValue0 + ", " + getValue1 + "]"; }
}
"""


def held_out(task_id: str) -> bool:
    """MBJP's held-out split: a stable hash of the id, ~HELD_OUT_PERCENT % of the problems."""
    return int(hashlib.sha256(task_id.encode()).hexdigest(), 16) % 100 < HELD_OUT_PERCENT


def task_from_any(record: dict, where: str = "<record>") -> Task:
    """A Task from one of our records or a HumanEval-X / MBJP / MultiPL-E record."""
    if isinstance(record, dict) and "name" in record and "id" not in record:
        return task_from_multipl_e(record, where)
    if not isinstance(record, dict) or "tests" in record or "id" in record:
        return task_from_record(record, where)
    missing = [k for k in ("task_id", "prompt", "test") if not isinstance(record.get(k), str) or not record.get(k)]
    if missing:
        raise TaskFileError(f"{where}: neither our task format (id, prompt, tests) nor HumanEval-X/MBJP "
                            f"(task_id, prompt, test); missing {missing}")
    task_id, prompt = record["task_id"], record["prompt"]
    trimmed = prompt.rstrip()
    canonical = record.get("canonical_solution") or ""
    language = str(record.get("language") or "java").lower()
    return Task(id=task_id, prompt=trimmed, tests=record["test"],
                reference=prompt[len(trimmed):] + canonical if canonical else "", split=split_of(task_id),
                language="java" if language.startswith("java") else language)


def split_of(task_id: str) -> str:
    """MBJP's and MultiPL-E's MBPP problems are held out by id hash; HumanEval's are all eval."""
    return "train" if task_id.startswith(("MBJP/", "mbpp_")) and not held_out(task_id) else "eval"


def task_from_multipl_e(record: dict, where: str) -> Task:
    """A Task from a MultiPL-E Java (see the module docstring) or Python record."""
    bad = [k for k in ("name", "prompt", "tests") if not isinstance(record.get(k), str) or not record.get(k)]
    language = str(record.get("language") or "java").lower()
    if bad or language not in ("java", "py", "python"):
        raise TaskFileError(f"{where}: read as MultiPL-E (it has `name`, no `id`), which needs non-empty name, prompt, "
                            f"tests and language java or py; bad: {bad or ['language']}")
    if language != "java":  # prompt + completion (to a stop token) + tests is the program, as MultiPL-E runs it
        return Task(id=record["name"], prompt=record["prompt"], tests=record["tests"], split=split_of(record["name"]),
                    language="python", stop=tuple(record.get("stop_tokens") or ()))
    classes = re.findall(r"^(?:public\s+|final\s+)*class\s+(\w+)", record["prompt"], re.M)
    if not classes or not record["tests"].lstrip().startswith("}"):
        raise TaskFileError(f"{where}: field 'tests' must close the method of the prompt's class, as MultiPL-E's do")
    prompt, tests = record["prompt"], f"public class Main extends {classes[-1]} {{" + record["tests"].lstrip()[1:]
    used = set(JAVATUPLES.findall(prompt + record["tests"]))
    if used <= {"Pair"}:  # no tuple class, or only the one rlvr stands in for
        prompt = re.sub(r"^import\s+org\.javatuples\.\*;\n", "", prompt, flags=re.M)
        tests += JAVATUPLES_PAIR if used else ""
    return Task(id=record["name"], prompt=prompt.rstrip(), tests=tests, split=split_of(record["name"]))


def shipped_with_rlvr(path: str | Path) -> bool:
    """A task file under rlvr's own data/: the test suite checks its references pass and its trivial bodies fail.
    Every other file (a benchmark, a user's own) gets check_canonical when a stage starts."""
    return Path(path).resolve().is_relative_to(DATA_DIR)


def check_canonical(pool, tasks: list[Task], label: str = "") -> str:
    """Verify every task's reference (canonical solution) with the pool; one summary line, e.g.
    'canonical check: mbjp 863/874 pass; fail: MBJP/180 compile_error, ...; 92 without a solution'.
    Stages print it before training or evaluating on a benchmark."""
    head = f"canonical check{' ' + label if label else ''}"
    with_reference = [t for t in tasks if t.reference]
    if not with_reference:  # MultiPL-E ships none
        return f"{head}: none of the {len(tasks)} tasks has a solution to check"
    verdicts = pool.verify(with_reference, [t.reference for t in with_reference])
    failed = [(t.id, v.status) for t, v in zip(with_reference, verdicts) if v.status != "pass"]
    line = f"{head}: {len(with_reference) - len(failed)}/{len(with_reference)} pass"
    if failed:
        shown = ", ".join(f"{i} {s}" for i, s in failed[:12])
        line += f"; fail: {shown}{f' (+{len(failed) - 12} more)' if len(failed) > 12 else ''}"
    if len(tasks) > len(with_reference):
        line += f"; {len(tasks) - len(with_reference)} without a solution"
    return line
