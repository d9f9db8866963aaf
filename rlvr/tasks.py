"""Tasks: one program to complete plus the tests that judge it (DESIGN.md "Task format").

A task's `prompt` is a source prefix ending at a method's opening `{`; the model writes the body
and the closing braces. The program checked is `prompt + cut_completion(...)`: the completion up to
the brace that closes the method, then the class's closing brace.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

SPLITS = ("train", "eval")


@dataclass(frozen=True)
class Task:
    id: str
    prompt: str  # source prefix the model continues
    tests: str  # test source (Java: `public class Main` with static test* methods and a main)
    reference: str = ""  # a completion that passes the tests
    split: str = "train"
    language: str = "java"
    stop: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        return {**asdict(self), "stop": list(self.stop)}


class TaskFileError(ValueError):
    """A task file line that cannot be read; the message names the file, line and field."""


_REQUIRED = ("id", "prompt", "tests")
_OPTIONAL_STR = ("reference", "split", "language")


def task_from_record(record: dict, where: str = "<record>") -> Task:
    if not isinstance(record, dict):
        raise TaskFileError(f"{where}: expected a JSON object, got a JSON {_json_kind(record)}")
    for key in _REQUIRED:
        if key not in record:
            raise TaskFileError(f"{where}: field {key!r} is missing (required: {list(_REQUIRED)})")
        if not isinstance(record[key], str) or not record[key]:
            raise TaskFileError(f"{where}: field {key!r} must be a non-empty string, got {_json_kind(record[key])}")
    for key in _OPTIONAL_STR:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise TaskFileError(f"{where}: field {key!r} must be a string, got {_json_kind(record[key])}")
    split = record.get("split") or "train"
    if split not in SPLITS:
        raise TaskFileError(f"{where}: field 'split' is {split!r}, expected one of {SPLITS}")
    stop = record.get("stop") or []
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        raise TaskFileError(f"{where}: field 'stop' must be a list of strings")
    return Task(
        id=record["id"],
        prompt=record["prompt"],
        tests=record["tests"],
        reference=record.get("reference") or "",
        split=split,
        language=record.get("language") or "java",
        stop=tuple(stop),
    )


def _json_kind(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def read_records(path: str | Path) -> list[tuple[str, object]]:
    """A task file's JSON records, each with where it stands (`file:line` or `file: item N`): a record a
    line, or one JSON array of them, as MultiPL-E's prompts/*.json."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"task file {path} does not exist")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1  # the bytes decoded, not a second read of the file
        raise TaskFileError(f"{path}:{line}: not UTF-8 text (byte {e.object[e.start]:#x} at offset {e.start})") from None
    if text.lstrip().startswith("["):
        try:
            return [(f"{path}: item {i}", record) for i, record in enumerate(json.loads(text))]
        except json.JSONDecodeError as e:
            raise TaskFileError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        try:
            records += [(f"{path}:{lineno}", json.loads(line))] if line.strip() else []
        except json.JSONDecodeError as e:
            raise TaskFileError(f"{path}:{lineno}: not valid JSON ({e.msg})") from None
    return records


def load_tasks(path: str | Path, split: str | None = None) -> list[Task]:
    """Read a task file (DESIGN.md format or a public benchmark's); `split` keeps one split only, and
    finding none of it is an error (a stage asked for train prompts must not run on nothing)."""
    from rlvr.benchmarks import task_from_any  # HumanEval-X / MBJP / MultiPL-E records: their fields live there
    from rlvr.verifier.pool import REGISTRY  # the languages a verifier exists for
    tasks, seen = [], set()
    for where, record in read_records(path):
        task = task_from_any(record, where)
        if task.language not in REGISTRY:
            raise TaskFileError(f"{where}: field 'language' is {task.language!r}: no verifier for it (have {sorted(REGISTRY)})")
        if task.id in seen:
            raise TaskFileError(f"{where}: duplicate task id {task.id!r}")
        seen.add(task.id)
        tasks.append(task)
    if not tasks:
        raise TaskFileError(f"{path}: no tasks (the file is empty: one JSON object a line expected)")
    if split is None:
        return tasks
    chosen = [t for t in tasks if t.split == split]
    if not chosen:
        have = sorted({t.split for t in tasks})
        raise TaskFileError(f"{path}: no tasks with split {split!r} (the file has {have})")
    return chosen


def hex_digit(c: str) -> int:
    """What java.lang.Character.digit(c, 16) gives, as javac reads escapes: fullwidth letters and any
    Unicode decimal digit count too (`\\u007\uff44` is a `}` for javac)."""
    if 0xFF21 <= ord(c) <= 0xFF26 or 0xFF41 <= ord(c) <= 0xFF46:
        return (ord(c) - 0xFF21) % 0x20 + 10
    return int(c, 16) if c in "0123456789abcdefABCDEF" else unicodedata.decimal(c, -1)


def _read_char(text: str, i: int, was_backslash: bool, was_escape: bool) -> tuple[str, int, bool, bool]:
    """One step of javac's UnicodeReader.nextUnicodeInputCharacter from `text[i]`: (the character, the index
    past its source, the reader's two flags after it)."""
    c, i = text[i], i + 1
    if c != "\\" or was_backslash and not was_escape:
        return c, i, False, False
    j = i
    while j < len(text) and text[j] == "u":
        j += 1
    digits = [hex_digit(d) for d in text[j:j + 4]]
    if j > i and len(digits) == 4 and min(digits) >= 0:
        c = chr(int("".join(f"{d:x}" for d in digits), 16))
        return c, j + 4, c == "\\" and not was_backslash, True
    return c, i, not was_backslash, False  # a plain backslash (or a broken escape, which javac refuses anyway)


def javac_chars(text: str) -> tuple[str, list[int]]:
    """`text` as javac's lexer reads it, with its `\\uXXXX` escapes translated the way javac's UnicodeReader
    does (JLS 3.3; a backslash an escape yields pairs with a raw one after it), and for each character read
    the index in `text` just past its source. A second lexer that skipped `\\u005c` (a backslash, so an
    escape inside a literal) closed the method where javac did not (red team: class members written after
    it passed 330 of 334 benchmark tasks)."""
    if "\\u" not in text:
        return text, list(range(1, len(text) + 1))
    chars, ends, i = [], [], 0
    was_backslash = was_escape = False
    while i < len(text):
        c, i, was_backslash, was_escape = _read_char(text, i, was_backslash, was_escape)
        if "\ud800" <= c <= "\udbff" and i < len(text):
            # javac reads ahead for the low half and, when there is none, goes back to it but keeps the flags
            # of that read (JDK 17 and 25): `// \\uD800\\\\u000a` ends the comment for javac (red team 9)
            low, after, was_backslash, was_escape = _read_char(text, i, was_backslash, was_escape)
            if "\udc00" <= low <= "\udfff":
                c, i = chr(0x10000 + (ord(c) - 0xD800) * 0x400 + ord(low) - 0xDC00), after
        chars.append(c)
        ends.append(i)
    return "".join(chars), ends


def block_close(prompt: str, completion: str) -> tuple[int, int] | None:
    """(index in `completion` just past the brace that closes the block open at the prompt's end,
    braces still open after it), or None if the completion never closes that block.

    Prompts end at the target method's `{`, so this is where the method ends. Braces are counted
    outside string/char literals and comments, from the start of the prompt, in the characters javac
    reads (`javac_chars`), so that a `\\u007d` is a brace and `'\\u005c''` a quote in a char literal.
    """
    depth, prompt_depth = 0, None
    text, source_ends = javac_chars(prompt + completion)
    i, n = 0, len(text)
    start = bisect.bisect_right(source_ends, len(prompt))  # the first character the completion wrote
    while i < n:
        if prompt_depth is None and i >= start:
            prompt_depth = depth
            if depth == 0:  # nothing open: no block for the completion to close
                return None
        c = text[i]
        if c == "/" and text.startswith("//", i):  # to the line's end: \n, or a lone \r as javac reads it
            ends = [j for j in (text.find("\n", i), text.find("\r", i)) if j >= 0]
            i = min(ends) if ends else n
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if text.startswith('"""', i):  # a text block runs to its closing """
            j = i + 3
            while j < n and not text.startswith('"""', j):
                j += 2 if text[j] == "\\" else 1
            i = j + 3
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if prompt_depth is not None and depth == prompt_depth - 1:
                return source_ends[i] - len(prompt), depth
        i += 1
    return None


UNICODE_ESCAPE = re.compile(r"(\\+)u+([0-9a-fA-F]{4})")
SURROGATE = re.compile("[\ud800-\udfff]")  # a str holds an astral character as one code point: these stand alone


def java_unescaped(text: str) -> str:
    """`text` with the `\\uXXXX` escapes that javac translates before it reads anything (JLS 3.3) written
    out, for ASCII characters but the backslash (one written out could begin another escape): what is
    checked, logged and matched against stop strings reads as javac reads it (`\\u007d` is a `}`)."""
    def one(m: re.Match) -> str:
        slashes, code = m.group(1), int(m.group(2), 16)
        if len(slashes) % 2 == 0 or code >= 0x80 or code == 0x5C:  # not an escape, or nothing structural
            return m.group(0)
        return slashes[:-1] + chr(code)
    return UNICODE_ESCAPE.sub(one, text)


def completion_end(task: Task, text: str) -> int | None:
    """Where the checked part of a completion ends: a stop string's start, or (Java) the brace that
    closes the target method. None while it has not ended (generation goes on)."""
    ends = [k for s in task.stop if (k := text.find(s)) >= 0]
    if task.language == "java" and (close := block_close(task.prompt, text)) is not None:
        ends.append(close[0])
    return min(ends) if ends else None


def cut_completion(task: Task, completion: str) -> str:
    """The part of `completion` that is checked: up to a stop string, or (Java) through the brace that
    closes the target method, followed by the braces that close the class around it.

    Whatever a model writes after the method (more methods, a repeat of the class, a loop until the
    token limit) is not asked for and is never compiled: it can neither fail nor game the task.
    """
    # the verifier reads UTF-8, where a lone surrogate (a JSON "\\ud800" in a completions file) decodes to U+FFFD;
    # the cut reads the same, since javac looks ahead past a high surrogate, never past U+FFFD (red team 10)
    completion = SURROGATE.sub("\ufffd", completion)
    if task.language == "java":
        completion = java_unescaped(completion)  # what javac will read
    if stops := [k for s in task.stop if (k := completion.find(s)) >= 0]:
        completion = completion[:min(stops)]
    if task.language == "java" and (close := block_close(task.prompt, completion)) is not None:
        end, still_open = close
        completion = completion[:end] + "".join("\n" + "    " * (d - 1) + "}" for d in range(still_open, 0, -1))
    return completion
