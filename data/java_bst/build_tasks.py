"""Build data/java_bst/tasks.jsonl from the Java sources next to this script.

Source layout
-------------
classes/<ClassName>.java
    A complete Java 17 compilation unit with one top-level ``public class``. Members of the class
    body are separated by blank lines (a blank line inside a method body does not separate
    anything). A member is a run of fields, a nested class, a constructor or a method, together
    with its leading comments and javadoc. A method becomes a task when the line directly above its
    javadoc is ``// @task <task_id> <train|eval>``; that tag line is not part of the member text.
tests/<task_id>.java
    ``public class Main`` with ``static void test*()`` methods and a ``main`` that calls them all.

Tasks
-----
For every tagged method: the prompt is the class with that method moved to be the last member,
cut right after the method's opening ``{``; the reference is the method body, the method's closing
``}`` and the class's closing ``}\\n``. Other tagged methods stay in the prompt as written
solutions, except eval-tagged ones, which are dropped from every other task's prompt (so no held-out
reference leaks into a prompt). The build fails if any remaining member calls a dropped eval
method, so the class in every prompt still compiles.

Prompt budget: whole classes run to 10k+ characters, far past a GPT-2 context (1024 positions,
512 for the tiny model) once the completion budget is taken out. So, by default, a prompt keeps
the fields, nested classes and constructors, every method the target or its test file calls
(transitively, by name), and then other methods in file order while the prompt stays within
``MAX_PROMPT_CHARS``; the rest are left out (they still feed the pretraining corpus).
``--max-prompt-chars 0`` keeps whole classes.

Reuse
-----
``parse_class(path)`` returns ``(header, class_name, members)``; ``render_class(header, members)``
puts a class back together (``render_class(*parse_class(p)[::2])`` reproduces the normalised file).
Both only use the standard library, so this file can be imported by path::

    spec = importlib.util.spec_from_file_location("build_tasks", "data/java_bst/build_tasks.py")
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)

Usage: ``python data/java_bst/build_tasks.py [--out PATH]`` (default: tasks.jsonl next to this file).
"""
from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TAG_RE = re.compile(r"^\s*// @task (\S+) (train|eval)\s*$")
SPLITS = ("train", "eval")
MAX_PROMPT_CHARS = 2000  # ~700 GPT-2 tokens of Java; 0 = whole class


@dataclass(frozen=True)
class Member:
    """One member of a class body, with its leading javadoc/comments, without the @task tag line.

    ``kind`` is "method", "constructor", "field" or "class"; ``name`` is the method, constructor,
    nested class or (first) field name. ``text`` is indented as in the file and has no leading or
    trailing blank lines.
    """

    name: str
    text: str
    task_id: str | None = None
    split: str | None = None
    kind: str = "method"

    @property
    def head(self) -> str:
        """For a method: the text up to and including the opening ``{`` of its body."""
        return self.text[: _body_open(self.text) + 1]

    @property
    def body(self) -> str:
        """For a method: the text after its opening ``{`` (the body and its closing ``}``)."""
        return self.text[_body_open(self.text) + 1 :]


def _code_mask(text: str) -> list[bool]:
    """True for every character of `text` that is code (not in a comment or string/char literal)."""
    mask = [True] * len(text)
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text[i] in "\"'":
            q, j = text[i], i + 1
            while j < n and text[j] != q and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j += 1
        else:
            i += 1
            continue
        for k in range(i, min(j, n)):
            mask[k] = False
        i = j
    return mask


def _body_open(text: str) -> int:
    """Index of the first `{` that is code (the opening brace of a method/class body)."""
    mask = _code_mask(text)
    for i, c in enumerate(text):
        if c == "{" and mask[i]:
            return i
    raise ValueError(f"no '{{' in member:\n{text}")


def _member_kind_and_name(text: str, class_name: str) -> tuple[str, str]:
    mask = _code_mask(text)
    code = "".join(c if m else " " for c, m in zip(text, mask))
    decl = code.strip()
    m = re.search(r"\b(?:class|interface|enum|record)\s+(\w+)", decl.split("{")[0])
    if m:
        return "class", m.group(1)
    head = decl.split("{")[0]
    if "(" in head and "=" not in head.split("(")[0]:
        name = re.findall(r"(\w+)\s*\(", head)[0]
        return ("constructor" if name == class_name else "method"), name
    m = re.search(r"(\w+)\s*(?:=|;)", decl)
    return "field", m.group(1) if m else decl.split()[-1]


def parse_class(path: str | Path) -> tuple[str, str, list[Member]]:
    """Split a Java file into (header, class_name, members).

    `header` is everything up to and including the top-level class's opening ``{`` (package,
    imports, class javadoc). Members come in file order; their tag lines are parsed into
    `task_id`/`split` and removed from `text`.
    """
    src = Path(path).read_text()
    mask = _code_mask(src)
    m = re.search(r"^public\s+(?:final\s+|abstract\s+)?class\s+(\w+)[^{]*\{", src, re.M)
    if not m or not mask[m.start()]:
        raise ValueError(f"{path}: no top-level 'public class' found")
    class_name, open_i = m.group(1), m.end() - 1
    header = src[: open_i + 1]
    # Find the class's closing brace and split the body at blank lines that are at depth 1.
    depth, close_i = 0, None
    for i in range(open_i, len(src)):
        if not mask[i]:
            continue
        if src[i] == "{":
            depth += 1
        elif src[i] == "}":
            depth -= 1
            if depth == 0:
                close_i = i
                break
    if close_i is None:
        raise ValueError(f"{path}: class {class_name} never closes")
    if src[close_i + 1 :].strip():
        raise ValueError(f"{path}: text after the closing brace of {class_name}")
    body_start = open_i + 1
    chunks, cur, depth = [], [], 1
    pos = body_start
    for line in src[body_start:close_i].split("\n"):
        if not line.strip() and depth == 1:
            if cur:
                chunks.append("\n".join(cur))
                cur = []
        else:
            cur.append(line)
        for k, c in enumerate(line):
            if mask[pos + k]:
                depth += c == "{"
                depth -= c == "}"
        pos += len(line) + 1
    if cur and "\n".join(cur).strip():
        chunks.append("\n".join(cur))
    if depth != 1:
        raise ValueError(f"{path}: unbalanced braces in the body of {class_name}")
    members = []
    for chunk in chunks:
        lines = chunk.split("\n")
        task_id = split = None
        tag_lines = [ln for ln in lines if TAG_RE.match(ln)]
        if tag_lines:
            if len(tag_lines) > 1 or not TAG_RE.match(lines[0]):
                raise ValueError(f"{path}: a @task tag must be the first line of its member:\n{chunk}")
            task_id, split = TAG_RE.match(lines[0]).groups()
            lines = lines[1:]
        text = "\n".join(lines).rstrip()
        kind, name = _member_kind_and_name(text, class_name)
        if task_id and kind != "method":
            raise ValueError(f"{path}: @task {task_id} is not on a method")
        members.append(Member(name=name, text=text, task_id=task_id, split=split, kind=kind))
    return header, class_name, members


def render_class(header: str, members: list[Member]) -> str:
    """The class source: header, members each preceded by a blank line, closing brace."""
    return header + "".join("\n\n" + m.text for m in members) + "\n}\n"


def _calls(text: str, name: str, class_name: str) -> bool:
    """True if the code of `text` may call method `name` of `class_name` (over-approximates).

    Counts `name(`, `this.name(`, `variable.name(` and `ClassName.name(`, but not
    `OtherType.name(` (a capitalised receiver other than the class, e.g. `Math.max(`).
    """
    mask = _code_mask(text)
    code = "".join(c if m else " " for c, m in zip(text, mask))
    for m in re.finditer(r"(?:(\w+)\s*\.\s*)?\b" + re.escape(name) + r"\s*\(", code):
        receiver = m.group(1)
        if receiver is None or not receiver[0].isupper() or receiver == class_name:
            return True
    return False


def _fit(header: str, class_name: str, others: list[Member], target: Member, tests: str,
         budget: int) -> list[Member]:
    """The members of `others` kept in the prompt of `target` (file order; see module doc)."""
    methods = {m.name for m in others if m.kind == "method"}

    def closure(texts: list[str], have: set[str]) -> set[str]:
        """Method names called from texts, transitively, that are not in `have`."""
        found: set[str] = set()
        while texts:
            text = texts.pop()
            for name in methods - have - found:
                if _calls(text, name, class_name):
                    found.add(name)
                    texts += [m.text for m in others if m.name == name]
        return found

    called = set(re.findall(r"(\w+)\s*\(", tests)) & methods  # any name( in the tests
    seeds = [target.body] + [m.text for m in others if m.kind != "method" or m.name in called]
    kept = called | closure(seeds, called)
    size = len(render_class(header, [m for m in others if m.kind != "method" or m.name in kept] + [target]))
    for m in others:
        if m.kind != "method" or m.name in kept:
            continue
        extra = {m.name} | closure([mm.text for mm in others if mm.name == m.name], kept | {m.name})
        cost = sum(len(mm.text) + 2 for mm in others if mm.name in extra)
        if size + cost <= budget:
            kept |= extra
            size += cost
    return [m for m in others if m.kind != "method" or m.name in kept]


def build_tasks(root: Path = HERE, max_prompt_chars: int = MAX_PROMPT_CHARS) -> list[dict]:
    """All task records (DESIGN.md format) from root/classes and root/tests, sorted by file then order."""
    records, seen = [], set()
    for path in sorted((root / "classes").glob("*.java")):
        header, class_name, members = parse_class(path)
        if path.stem != class_name:
            raise ValueError(f"{path}: public class {class_name} must live in {class_name}.java")
        eval_names = {m.name for m in members if m.split == "eval"}
        for target in members:
            if target.task_id is None:
                continue
            if target.task_id in seen:
                raise ValueError(f"{path}: duplicate task id {target.task_id}")
            seen.add(target.task_id)
            others = [m for m in members if m is not target and m.split != "eval"]
            for m in [target, *others]:
                if m.kind in ("method", "constructor"):
                    for name in eval_names - {target.name}:
                        if _calls(m.body, name, class_name):
                            raise ValueError(
                                f"{path}: {m.name} calls eval method {name}, which is dropped "
                                f"from the prompt of {target.task_id}"
                            )
            test_path = root / "tests" / f"{target.task_id}.java"
            if not test_path.is_file():
                raise ValueError(f"{path}: no tests for {target.task_id} ({test_path})")
            tests = test_path.read_text()
            if max_prompt_chars:
                others = _fit(header, class_name, others, target, tests, max_prompt_chars)
            prompt = render_class(header, others + [target])
            prompt = prompt[: prompt.rindex(target.text) + len(target.head)]
            assert prompt.endswith("{")
            records.append(
                {
                    "id": target.task_id,
                    "split": target.split,
                    "language": "java",
                    "prompt": prompt,
                    "tests": tests,
                    "reference": target.body + "\n}\n",
                    "stop": [],
                }
            )
    tagged = {r["id"] for r in records}
    orphans = sorted(p.stem for p in (root / "tests").glob("*.java") if p.stem not in tagged)
    if orphans:
        raise ValueError(f"tests without a tagged method: {orphans}")
    return records


def write_tasks(out: Path, root: Path = HERE, max_prompt_chars: int = MAX_PROMPT_CHARS) -> int:
    records = build_tasks(root, max_prompt_chars)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return len(records)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "tasks.jsonl")
    ap.add_argument("--max-prompt-chars", type=int, default=MAX_PROMPT_CHARS,
                    help="prompt budget in characters (0: whole class)")
    args = ap.parse_args()
    n = write_tasks(args.out, max_prompt_chars=args.max_prompt_chars)
    print(f"wrote {n} tasks to {args.out}")


if __name__ == "__main__":
    main()
