"""Public Java benchmarks as Tasks: HumanEval-X (Java) and MBJP, plus our own tasks.jsonl.

    tasks = load_benchmark(ROOT.parent / "shared/benchmarks/humaneval-x-java/humaneval_java.jsonl")

Each line's format is detected by its fields: ours has `id` + `tests` (DESIGN.md "Task format");
HumanEval-X and MBJP have `task_id` + `test` and map to Task(id=task_id, prompt, tests=test,
reference=canonical_solution, split="eval"). The published harness (`prompt + solution + test`
in one file, run `Main`) and the pool's two-unit assembly (rlvr/verifier/java.py) agree.
"""
from __future__ import annotations

import json
from pathlib import Path

from rlvr.tasks import Task, TaskFileError, task_from_record

BENCHMARKS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
HUMANEVAL_X_JAVA = BENCHMARKS_DIR / "humaneval-x-java" / "humaneval_java.jsonl"
MBJP = BENCHMARKS_DIR / "mbjp" / "mbjp_release_v1.2.jsonl"


def task_from_any(record: dict, where: str = "<record>") -> Task:
    """A Task from one of our records or a HumanEval-X / MBJP record."""
    if "tests" in record or "id" in record:
        return task_from_record(record, where)
    missing = [k for k in ("task_id", "prompt", "test") if not isinstance(record.get(k), str) or not record.get(k)]
    if missing:
        raise TaskFileError(f"{where}: neither our task format (id, prompt, tests) nor HumanEval-X/MBJP "
                            f"(task_id, prompt, test); missing {missing}")
    language = str(record.get("language") or "java").lower()
    return Task(id=record["task_id"], prompt=record["prompt"], tests=record["test"],
                reference=record.get("canonical_solution") or "", split="eval",
                language="java" if language.startswith("java") else language)


def load_benchmark(path: str | Path) -> list[Task]:
    """All tasks in a HumanEval-X, MBJP or rlvr tasks.jsonl file, in file order."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"benchmark file {path} does not exist")
    tasks = []
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise TaskFileError(f"{where}: not valid JSON ({e.msg})") from None
        tasks.append(task_from_any(record, where))
    return tasks
