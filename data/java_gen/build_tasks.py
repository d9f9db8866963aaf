"""Build data/java_gen/tasks.jsonl: generated Java tasks whose held-out split is unseen
combinations of parts that all appear in training.

    python data/java_gen/build_tasks.py            # writes tasks.jsonl next to this file
    python data/java_gen/build_tasks.py --check    # also runs every program below through the verifier pool

A task is one combination of four parts:
- a container (traversal shape): an array, a `List`, a singly linked list of nodes, a BST walked
  in order, a 2-D array row by row, a buffer whose spare slots hold stale values, a `String`,
  a `char[]`, a `List<Character>`;
- an element type: int or long for the numeric containers (char for the character ones);
- a predicate: even, odd, negative, positive, greater/less than a parameter, divisible / not
  divisible by a parameter, between / outside a range; vowel, consonant, digit, uppercase,
  lowercase, letter, whitespace, letter-or-digit, equal to a parameter for characters;
- a reduction: sum, count, max, min, any, all, none, first index, last index (no sum/max/min
  of characters).

The method is named after the combination (`sumOfEvens`, `countGreaterThan`, `firstIndexOfVowel`)
and its javadoc states the spec. The prompt is a small class (fields, constructor, nested Node)
with two solved sibling methods of *train* combinations, ending at the target method's `{`.

Held-out (`split: "eval"`) combinations are drawn with a seeded RNG such that every pair of their
parts ((container, predicate), (container, reduction), (predicate, reduction)) is still some train
combination: every part and every pair is seen, only the triple is new.

Tests (`public class Main`, one static test* method per input group: typical, empty, all match,
none match) are generated from a Python model of each combination's semantics. The build asserts,
in Python, that the expected values tell the target apart from every neighbouring combination
(one part changed) whose body would compile in the target, and from the trivial bodies; `--check`
confirms with the real verifier: the reference passes, the bare prompt, the trivial bodies and
two neighbours per task fail.

Reuse (pretraining): ``corpus_documents(variants_per_class, seed)`` returns class documents made
of train combinations only; ``combinations()`` lists every (key, split).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261202
EVAL_FRACTION = 0.18
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1
LONG_MIN, LONG_MAX = -(2 ** 63), 2 ** 63 - 1


# ---------------------------------------------------------------------------------------------
# Parts
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pred:
    name: str  # key
    singular: str  # name part for max/min/any/none/index: maxEven, anyGreaterThan
    plural: str  # name part for sum/count/all: sumOfEvens, countGreaterThan
    params: tuple[str, ...]  # parameter names, typed by the element type (d is always int)
    phrase: str  # "is {phrase}"
    java: str  # expression over {v}
    char: bool = False

    def expr(self, v: str) -> str:
        return self.java.replace("{v}", v)


NUM_PREDS = [
    Pred("even", "Even", "Evens", (), "even", "{v} % 2 == 0"),
    Pred("odd", "Odd", "Odds", (), "odd", "{v} % 2 != 0"),
    Pred("negative", "Negative", "Negatives", (), "negative (less than 0)", "{v} < 0"),
    Pred("positive", "Positive", "Positives", (), "positive (greater than 0)", "{v} > 0"),
    Pred("greater", "GreaterThan", "GreaterThan", ("t",), "greater than t", "{v} > t"),
    Pred("less", "LessThan", "LessThan", ("t",), "less than t", "{v} < t"),
    Pred("divisible", "DivisibleBy", "DivisibleBy", ("d",), "divisible by d (d > 0)", "{v} % d == 0"),
    Pred("notdivisible", "NotDivisibleBy", "NotDivisibleBy", ("d",), "not divisible by d (d > 0)", "{v} % d != 0"),
    Pred("between", "Between", "Between", ("lo", "hi"), "between lo and hi, both included",
         "{v} >= lo && {v} <= hi"),
    Pred("outside", "Outside", "Outside", ("lo", "hi"), "outside lo..hi (less than lo or greater than hi)",
         "{v} < lo || {v} > hi"),
]
CHAR_PREDS = [
    Pred("vowel", "Vowel", "Vowels", (), "a vowel (a, e, i, o or u, either case)",
         '"aeiouAEIOU".indexOf({v}) >= 0', True),
    Pred("consonant", "Consonant", "Consonants", (), "a consonant (a letter that is not a vowel)",
         'Character.isLetter({v}) && "aeiouAEIOU".indexOf({v}) < 0', True),
    Pred("digit", "Digit", "Digits", (), "a digit", "Character.isDigit({v})", True),
    Pred("upper", "Uppercase", "Uppercase", (), "an uppercase letter", "Character.isUpperCase({v})", True),
    Pred("lower", "Lowercase", "Lowercase", (), "a lowercase letter", "Character.isLowerCase({v})", True),
    Pred("letter", "Letter", "Letters", (), "a letter", "Character.isLetter({v})", True),
    Pred("space", "Whitespace", "Whitespace", (), "whitespace", "Character.isWhitespace({v})", True),
    Pred("alnum", "LetterOrDigit", "LettersOrDigits", (), "a letter or a digit",
         "Character.isLetterOrDigit({v})", True),
    Pred("equal", "EqualTo", "EqualTo", ("c",), "equal to c", "{v} == c", True),
]
VOWELS = "aeiouAEIOU"
PY_PRED = {
    "even": lambda v, p: v % 2 == 0, "odd": lambda v, p: v % 2 != 0,
    "negative": lambda v, p: v < 0, "positive": lambda v, p: v > 0,
    "greater": lambda v, p: v > p["t"], "less": lambda v, p: v < p["t"],
    "divisible": lambda v, p: v % p["d"] == 0, "notdivisible": lambda v, p: v % p["d"] != 0,
    "between": lambda v, p: p["lo"] <= v <= p["hi"], "outside": lambda v, p: v < p["lo"] or v > p["hi"],
    "vowel": lambda c, p: c in VOWELS, "consonant": lambda c, p: c.isalpha() and c not in VOWELS,
    "digit": lambda c, p: c.isdigit(), "upper": lambda c, p: c.isupper(), "lower": lambda c, p: c.islower(),
    "letter": lambda c, p: c.isalpha(), "space": lambda c, p: c == " ",
    "alnum": lambda c, p: c.isalnum(), "equal": lambda c, p: c == p["c"],
}

REDUCTIONS = ["sum", "count", "max", "min", "any", "all", "none", "first", "last"]
CHAR_REDUCTIONS = ["count", "any", "all", "none", "first", "last"]


@dataclass(frozen=True)
class Container:
    cls: str  # class name (one class per container and element type)
    kind: str  # array | list | linked | tree | grid | buffer | string | chars | charlist
    elem: str  # int | long | char
    static: bool
    arg: str  # the parameter of static methods ("" for instance methods)
    what: str  # "the elements of arr" ...
    order: str  # how indexes count

    @property
    def boxed(self) -> str:
        return {"int": "Integer", "long": "Long", "char": "Character"}[self.elem]


def _containers() -> list[Container]:
    out = []
    for e in ("int", "long"):
        E = e.capitalize()
        out += [
            Container(f"{E}Arrays", "array", e, True, f"{e}[] arr", "the elements of arr", "arr[0] is index 0"),
            Container(f"{E}Lists", "list", e, True, f"List<{'Integer' if e == 'int' else 'Long'}> list",
                      "the elements of list", "list.get(0) is index 0"),
            Container(f"{E}LinkedList", "linked", e, False, "", "the values of this list",
                      "head is index 0, following next"),
            Container(f"{E}Tree", "tree", e, False, "", "the values of this tree",
                      "in-order (ascending) position, the smallest value is index 0"),
            Container(f"{E}Grid", "grid", e, True, f"{e}[][] grid", "the cells of grid",
                      "row by row, left to right: a cell's index counts every cell before it"),
            Container(f"{E}Buffer", "buffer", e, False, "", "the values of this buffer (items[0..size-1])",
                      "items[0] is index 0"),
        ]
    out += [
        Container("Strings", "string", "char", True, "String s", "the characters of s", "s.charAt(0) is index 0"),
        Container("CharArrays", "chars", "char", True, "char[] chars", "the characters of chars",
                  "chars[0] is index 0"),
        Container("CharLists", "charlist", "char", True, "List<Character> list", "the characters of list",
                  "list.get(0) is index 0"),
    ]
    return out


CONTAINERS = _containers()
BY_CLS = {c.cls: c for c in CONTAINERS}
PREDS = {p.name: p for p in NUM_PREDS + CHAR_PREDS}


@dataclass(frozen=True)
class Combo:
    cls: str
    pred: str
    red: str

    @property
    def key(self) -> str:
        return f"{self.cls}.{self.red}.{self.pred}"

    @property
    def container(self) -> Container:
        return BY_CLS[self.cls]

    @property
    def p(self) -> Pred:
        return PREDS[self.pred]


def all_combos() -> list[Combo]:
    out = []
    for c in CONTAINERS:
        preds, reds = (CHAR_PREDS, CHAR_REDUCTIONS) if c.elem == "char" else (NUM_PREDS, REDUCTIONS)
        out += [Combo(c.cls, p.name, r) for p in preds for r in reds]
    return out


# ---------------------------------------------------------------------------------------------
# Java text
# ---------------------------------------------------------------------------------------------
def method_name(combo: Combo) -> str:
    p, r = combo.p, combo.red
    if r == "sum":
        return f"sumOf{p.plural}" if not p.params else f"sum{p.plural}"
    if r == "count":
        return f"count{p.plural}"
    if r == "all":
        return f"all{p.plural}"
    if r in ("first", "last"):
        return f"{r}IndexOf{p.singular}" if not p.params else f"{r}Index{p.singular}"
    return f"{r}{p.singular}"


def return_type(combo: Combo) -> str:
    e = combo.container.elem
    return {"sum": e, "max": e, "min": e, "count": "int", "first": "int", "last": "int"}.get(combo.red, "boolean")


def param_decls(combo: Combo) -> list[str]:
    c = combo.container
    decls = [c.arg] if c.arg else []
    for name in combo.p.params:
        decls.append(f"int {name}" if name == "d" else f"{c.elem} {name}")
    return decls


def signature(combo: Combo) -> str:
    static = "static " if combo.container.static else ""
    return f"    public {static}{return_type(combo)} {method_name(combo)}({', '.join(param_decls(combo))}) {{"


def javadoc(combo: Combo) -> str:
    c, p, r = combo.container, combo.p, combo.red
    lo = "Long.MIN_VALUE" if c.elem == "long" else "Integer.MIN_VALUE"
    hi = "Long.MAX_VALUE" if c.elem == "long" else "Integer.MAX_VALUE"
    text = {
        "sum": f"Returns the sum of {c.what} that are {p.phrase}; 0 if there are none.",
        "count": f"Returns how many of {c.what} are {p.phrase}.",
        "max": f"Returns the largest of {c.what} that is {p.phrase}; {lo} if there is none.",
        "min": f"Returns the smallest of {c.what} that is {p.phrase}; {hi} if there is none.",
        "any": f"Returns true if at least one of {c.what} is {p.phrase}; false if there is none.",
        "all": f"Returns true if every one of {c.what} is {p.phrase}; true if there are none.",
        "none": f"Returns true if none of {c.what} is {p.phrase}; true if there are none.",
        "first": f"Returns the index of the first of {c.what} that is {p.phrase} "
                 f"({c.order}); -1 if there is none.",
        "last": f"Returns the index of the last of {c.what} that is {p.phrase} "
                f"({c.order}); -1 if there is none.",
    }[r]
    words, lines, line = text.split(), [], ""
    for w in words:  # wrap at ~90 columns
        if line and len(line) + 1 + len(w) > 86:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return "    /**\n" + "".join(f"     * {ln}\n" for ln in lines) + "     */"


def _cond(combo: Combo, v: str) -> str:
    e = combo.p.expr(v)
    return f"({e})" if "&&" in e or "||" in e else e


def _inner(combo: Combo, v: str, idx: str) -> tuple[list[str], list[str], list[str]]:
    """(lines before the loop, lines inside it, lines after it) for the reduction."""
    c, r, e = combo.container, combo.red, combo.container.elem
    cond = _cond(combo, v)
    mn, mx = ("Long.MIN_VALUE", "Long.MAX_VALUE") if e == "long" else ("Integer.MIN_VALUE", "Integer.MAX_VALUE")
    return {
        "sum": ([f"{e} total = 0;"], [f"if ({cond}) {{", f"    total += {v};", "}"], ["return total;"]),
        "count": (["int count = 0;"], [f"if ({cond}) {{", "    count++;", "}"], ["return count;"]),
        "max": ([f"{e} best = {mn};"], [f"if ({cond} && {v} > best) {{", f"    best = {v};", "}"], ["return best;"]),
        "min": ([f"{e} best = {mx};"], [f"if ({cond} && {v} < best) {{", f"    best = {v};", "}"], ["return best;"]),
        "any": ([], [f"if ({cond}) {{", "    return true;", "}"], ["return false;"]),
        "all": ([], [f"if (!({combo.p.expr(v)})) {{", "    return false;", "}"], ["return true;"]),
        "none": ([], [f"if ({cond}) {{", "    return false;", "}"], ["return true;"]),
        "first": ([], [f"if ({cond}) {{", f"    return {idx};", "}"], ["return -1;"]),
        "last": (["int last = -1;"], [f"if ({cond}) {{", f"    last = {idx};", "}"], ["return last;"]),
    }[r]


def body(combo: Combo) -> str:
    """The reference: method body, the method's `}` and the class's `}`."""
    c = combo.container
    v = "ch" if c.elem == "char" else "x"
    indexed = combo.red in ("first", "last")
    pre, inner, post = _inner(combo, v, "i")
    ind = lambda lines, n: ["    " * n + ln for ln in lines]
    e = c.elem
    if c.kind in ("array", "list", "buffer", "string", "chars", "charlist"):
        n, get = {"array": ("arr.length", "arr[i]"), "list": ("list.size()", "list.get(i)"),
                  "buffer": ("size", "items[i]"), "string": ("s.length()", "s.charAt(i)"),
                  "chars": ("chars.length", "chars[i]"), "charlist": ("list.size()", "list.get(i)")}[c.kind]
        loop = [f"for (int i = 0; i < {n}; i++) {{", f"    {e} {v} = {get};", *ind(inner, 1), "}"]
    elif c.kind == "linked":
        step = ["    i++;"] if indexed else []
        loop = (["int i = 0;"] if indexed else []) + [
            "for (Node node = head; node != null; node = node.next) {", f"    {e} {v} = node.value;",
            *ind(inner, 1), *step, "}"]
    elif c.kind == "grid":
        step = ["        i++;"] if indexed else []
        loop = (["int i = 0;"] if indexed else []) + [
            "for (int r = 0; r < grid.length; r++) {", "    for (int c = 0; c < grid[r].length; c++) {",
            f"        {e} {v} = grid[r][c];", *ind(inner, 2), *step, "    }", "}"]
    else:  # tree: iterative in-order walk
        step = ["    i++;"] if indexed else []
        loop = (["int i = 0;"] if indexed else []) + [
            "Deque<Node> stack = new ArrayDeque<>();", "Node node = root;",
            "while (node != null || !stack.isEmpty()) {", "    while (node != null) {",
            "        stack.push(node);", "        node = node.left;", "    }", "    node = stack.pop();",
            f"    {e} {v} = node.value;", *ind(inner, 1), *step, "    node = node.right;", "}"]
    lines = pre + loop + post
    return "\n" + "".join(f"        {ln}\n" for ln in lines) + "    }\n}\n"


def method_text(combo: Combo) -> str:
    """javadoc + signature + body + the method's closing brace (no class brace)."""
    return f"{javadoc(combo)}\n{signature(combo)}{body(combo)[:-len(chr(10) + '}' + chr(10))]}"


def class_header(c: Container) -> tuple[str, list[str]]:
    """(imports + class javadoc + `public class X {`, fixed members)."""
    e, E = c.elem, c.boxed
    imports = "import java.util.*;\n\n" if c.kind in ("list", "tree", "charlist") else ""
    doc = {
        "array": f"Queries over {e} arrays.", "list": f"Queries over lists of {E} values.",
        "linked": f"A singly linked list of {e} values.",
        "tree": f"A binary search tree of distinct {e} values (smaller values to the left).",
        "grid": f"Queries over 2-D {e} arrays (rows may differ in length).",
        "buffer": f"A buffer of {e} values: items[0..size-1] are its values; the slots after them hold stale values.",
        "string": "Queries over the characters of strings.", "chars": "Queries over char arrays.",
        "charlist": "Queries over lists of characters.",
    }[c.kind]
    header = f"{imports}/** {doc} */\npublic class {c.cls} {{"
    fixed = []
    if c.kind in ("linked", "tree"):
        links = "Node next;" if c.kind == "linked" else "Node left;\n        Node right;"
        fixed.append(f"    static class Node {{\n        {e} value;\n        {links}\n\n"
                     f"        Node({e} value) {{\n            this.value = value;\n        }}\n    }}")
    if c.kind == "linked":
        fixed.append("    Node head;")
        fixed.append(f"    public {c.cls}({e}... values) {{\n        Node tail = null;\n"
                     f"        for ({e} value : values) {{\n            Node node = new Node(value);\n"
                     "            if (tail == null) {\n                head = node;\n            } else {\n"
                     "                tail.next = node;\n            }\n            tail = node;\n        }\n    }")
    elif c.kind == "tree":
        fixed.append("    Node root;")
        fixed.append(f"    public {c.cls}({e}... values) {{\n        for ({e} value : values) {{\n"
                     "            root = insert(root, value);\n        }\n    }")
        fixed.append(f"    private static Node insert(Node node, {e} value) {{\n        if (node == null) {{\n"
                     "            return new Node(value);\n        }\n        if (value < node.value) {\n"
                     "            node.left = insert(node.left, value);\n        } else if (value > node.value) {\n"
                     "            node.right = insert(node.right, value);\n        }\n        return node;\n    }")
    elif c.kind == "buffer":
        fixed.append(f"    {e}[] items;\n    int size;")
        fixed.append(f"    public {c.cls}({e}... values) {{\n        items = new {e}[values.length + 4];\n"
                     "        for (int i = 0; i < items.length; i++) {\n"
                     "            items[i] = i < values.length ? values[i] : STALE[i % STALE.length];\n"
                     "        }\n        size = values.length;\n    }")
        fixed.insert(0, f"    private static final {e}[] STALE = {{-7, 8, 12, -3, 5}};")
    return header, fixed


def render_class(c: Container, methods: list[Combo], target: Combo | None = None) -> str:
    """The class with `methods` solved; with a target: the prompt, cut at the target's `{`."""
    header, fixed = class_header(c)
    parts = fixed + [method_text(m) for m in methods]
    if target is None:
        return header + "\n" + "\n\n".join(parts) + "\n}\n"
    parts.append(javadoc(target) + "\n" + signature(target))
    return header + "\n" + "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Semantics (Python model) and tests
# ---------------------------------------------------------------------------------------------
def elements(c: Container, value) -> list:
    """The values a container holds, in index order."""
    if c.kind == "tree":
        return sorted(set(value))
    if c.kind == "grid":
        return [x for row in value for x in row]
    if c.kind in ("string", "chars", "charlist"):
        return list(value)
    return list(value)


def evaluate(combo: Combo, value, params: dict):
    c, test = combo.container, PY_PRED[combo.pred]
    xs = elements(c, value)
    hits = [i for i, x in enumerate(xs) if test(x, params)]
    lo, hi = (LONG_MIN, LONG_MAX) if c.elem == "long" else (INT_MIN, INT_MAX)
    r = combo.red
    if r == "sum":
        return sum(xs[i] for i in hits)
    if r == "count":
        return len(hits)
    if r == "max":
        return max((xs[i] for i in hits), default=lo)
    if r == "min":
        return min((xs[i] for i in hits), default=hi)
    if r == "any":
        return bool(hits)
    if r == "all":
        return len(hits) == len(xs)
    if r == "none":
        return not hits
    if r == "first":
        return hits[0] if hits else -1
    return hits[-1] if hits else -1


def _lit(e: str, x) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if e == "char" and isinstance(x, str):
        return f"'{x}'"
    if x in (INT_MIN, INT_MAX, LONG_MIN, LONG_MAX):
        return {INT_MIN: "Integer.MIN_VALUE", INT_MAX: "Integer.MAX_VALUE",
                LONG_MIN: "Long.MIN_VALUE", LONG_MAX: "Long.MAX_VALUE"}[x]
    return f"{x}L" if e == "long" else str(x)


def java_call(combo: Combo, value, params: dict) -> str:
    c, e = combo.container, combo.container.elem
    args = [_lit("int" if k == "d" else e, params[k]) for k in combo.p.params]
    seq = lambda xs: ", ".join(_lit(e, x) for x in xs)
    name = method_name(combo)
    if c.kind == "array":
        return f"{c.cls}.{name}({', '.join([f'new {e}[] {{{seq(value)}}}'] + args)})"
    if c.kind == "list":
        return f"{c.cls}.{name}({', '.join([f'List.<{c.boxed}>of({seq(value)})'] + args)})"
    if c.kind == "grid":
        rows = ", ".join("{" + seq(row) + "}" for row in value)
        return f"{c.cls}.{name}({', '.join([f'new {e}[][] {{{rows}}}'] + args)})"
    if c.kind in ("linked", "tree", "buffer"):
        return f"new {c.cls}({seq(value)}).{name}({', '.join(args)})"
    text = '"' + "".join(value) + '"'
    arg = {"string": text, "chars": f"{text}.toCharArray()", "charlist": f"chars({text})"}[c.kind]
    return f"{c.cls}.{name}({', '.join([arg] + args)})"


NUM_POOL = list(range(-12, 13)) + [-20, 17, 25, 30]
CHAR_POOL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?-"
CHAR_DRAW = "aeiouAEIOUbcdfgstxBCDKTZ01234789     .,!-"  # biased towards every class of character


def _params(combo: Combo, rng: random.Random) -> dict:
    names = combo.p.params
    if names == ("t",):
        return {"t": rng.randint(-4, 6)}
    if names == ("d",):
        return {"d": rng.choice([3, 4, 5])}
    if names == ("lo", "hi"):
        lo = rng.randint(-6, 3)
        return {"lo": lo, "hi": lo + rng.randint(3, 8)}
    if names == ("c",):
        return {"c": rng.choice("aeEsT1 ")}
    return {}


def _draw(c: Container, rng: random.Random, n: int, keep=lambda x: True) -> list:
    pool = [x for x in (CHAR_DRAW if c.elem == "char" else NUM_POOL) if keep(x)]
    if not pool:
        return []
    xs = [rng.choice(pool) for _ in range(n)]
    if c.elem == "long" and xs and rng.random() < 0.3:  # values past int's range, where they fit the spec
        big = [x * 1_000_000_000 for x in xs if x != 0 and keep(x * 1_000_000_000)]
        if big:
            xs[0] = big[0]
    return xs


def _shape(c: Container, xs: list, rng: random.Random):
    """Element list -> the container's literal value (grid rows; strings for characters)."""
    if c.kind == "grid":
        rows, i = [], 0
        while i < len(xs):
            k = rng.randint(0, 3)
            rows.append(xs[i:i + k])
            i += k
        return rows if rows else [[]] if rng.random() < 0.5 else []
    if c.elem == "char":
        return "".join(xs)
    return xs


def neighbours(combo: Combo) -> list[Combo]:
    """Combinations one part away on the same container (predicate or reduction changed)."""
    c = combo.container
    preds, reds = (CHAR_PREDS, CHAR_REDUCTIONS) if c.elem == "char" else (NUM_PREDS, REDUCTIONS)
    return ([Combo(c.cls, p.name, combo.red) for p in preds if p.name != combo.pred]
            + [Combo(c.cls, combo.pred, r) for r in reds if r != combo.red])


def body_compiles_in(other: Combo, target: Combo) -> bool:
    """Would `other`'s reference body compile as `target`'s body? (params and return type)"""
    if not set(other.p.params) <= set(target.p.params):
        return False
    ro, rt = return_type(other), return_type(target)
    return ro == rt or (ro == "int" and rt == "long")


def trivial_values(combo: Combo) -> list:
    rt = return_type(combo)
    return [False, True] if rt == "boolean" else [0, -1]


@dataclass
class Case:
    value: object
    params: dict
    group: str


def make_cases(combo: Combo, rng: random.Random) -> list[Case]:
    """Input groups (typical, empty, all match, none match), extended until the expected values tell
    the target from every compiling neighbour and every trivial body."""
    c, test = combo.container, PY_PRED[combo.pred]
    cases = []
    for _ in range(3):
        p = _params(combo, rng)
        cases.append(Case(_shape(c, _draw(c, rng, rng.randint(5, 9)), rng), p, "typical"))
    cases.append(Case(_shape(c, [], rng), _params(combo, rng), "empty"))
    for group, keep in (("allMatch", True), ("noneMatch", False)):
        p = _params(combo, rng)
        xs = _draw(c, rng, rng.randint(3, 6), lambda x, p=p, keep=keep: test(x, p) == keep)
        cases.append(Case(_shape(c, xs, rng), p, group))
    others = [o for o in neighbours(combo) if body_compiles_in(o, combo)]
    expect = lambda k, cs: [evaluate(k, cs_.value, cs_.params) for cs_ in cs]

    def undistinguished(cs):
        want = expect(combo, cs)
        bad = [o for o in others if expect(o, cs) == want]
        bad += [t for t in trivial_values(combo) if all(w == t for w in want)]
        return bad

    tries = 0
    while undistinguished(cases):
        tries += 1
        if tries > 400:
            raise AssertionError(f"{combo.key}: no inputs tell it from {undistinguished(cases)}")
        p = _params(combo, rng)
        cases.append(Case(_shape(c, _draw(c, rng, rng.randint(2, 10)), rng), p, "typical"))
        if len(cases) > 7:  # keep the tests small: redraw the extra typical cases instead
            pruned = [cs for cs in cases[:-1] if cs.group != "typical" or cs is cases[0]]
            if not undistinguished(pruned + [cases[-1]]):
                cases = pruned + [cases[-1]]
    return cases


def render_tests(combo: Combo, cases: list[Case]) -> str:
    e, rt = combo.container.elem, return_type(combo)
    groups: dict[str, list[str]] = {}
    for cs in cases:
        want = evaluate(combo, cs.value, cs.params)
        call = java_call(combo, cs.value, cs.params)
        lit = _lit(e if rt == e else "int", want)
        msg = call.replace("\\", "\\\\").replace('"', '\\"')
        groups.setdefault(cs.group, []).append(
            f'        check({call} == {lit}, "{msg} should be " + {lit} + ", got " + {call});')
    helper = ""
    if combo.container.kind == "charlist":
        helper = ("    static List<Character> chars(String s) {\n        List<Character> out = new ArrayList<>();\n"
                  "        for (char ch : s.toCharArray()) {\n            out.add(ch);\n        }\n"
                  "        return out;\n    }\n\n")
    methods = "".join(f"    static void test{g[0].upper()}{g[1:]}() {{\n" + "\n".join(lines) + "\n    }\n\n"
                      for g, lines in groups.items())
    calls = "".join(f"        test{g[0].upper()}{g[1:]}();\n" for g in groups)
    return ("import java.util.*;\n\npublic class Main {\n\n"
            "    static void check(boolean ok, String msg) {\n        if (!ok) {\n"
            "            throw new AssertionError(msg);\n        }\n    }\n\n"
            f"{helper}{methods}    public static void main(String[] args) {{\n{calls}    }}\n}}\n")


# ---------------------------------------------------------------------------------------------
# Splits, prompts, corpus
# ---------------------------------------------------------------------------------------------
def combinations(seed: int = SEED) -> list[tuple[Combo, str]]:
    """Every combination with its split. Held-out ones are drawn so each of their part pairs
    ((container, pred), (container, red), (pred, red)) remains in some train combination."""
    combos = all_combos()
    rng = random.Random(seed)
    order = combos[:]
    rng.shuffle(order)
    target = round(EVAL_FRACTION * len(combos))
    pairs = lambda k: [("cp", k.cls, k.pred), ("cr", k.cls, k.red), ("pr", k.pred, k.red)]
    train_count: dict = {}
    for k in combos:
        for pr in pairs(k):
            train_count[pr] = train_count.get(pr, 0) + 1
    held = set()
    for k in order:
        if len(held) >= target:
            break
        if all(train_count[pr] > 1 for pr in pairs(k)):
            held.add(k)
            for pr in pairs(k):
                train_count[pr] -= 1
    return [(k, "eval" if k in held else "train") for k in combos]


def train_by_class(seed: int = SEED) -> dict[str, list[Combo]]:
    out: dict[str, list[Combo]] = {}
    for k, split in combinations(seed):
        if split == "train":
            out.setdefault(k.cls, []).append(k)
    return out


def build_tasks(seed: int = SEED) -> list[dict]:
    train = train_by_class(seed)
    records = []
    for k, split in combinations(seed):
        rng = random.Random(f"{seed}:{k.key}")
        siblings = rng.sample([m for m in train[k.cls] if m != k], 2)
        prompt = render_class(k.container, siblings, target=k)
        records.append({
            "id": f"{k.cls}_{method_name(k)}", "split": split, "language": "java", "prompt": prompt,
            "tests": render_tests(k, make_cases(k, rng)), "reference": body(k), "stop": [],
            "parts": {"container": k.container.kind, "type": k.container.elem, "predicate": k.pred,
                      "reduction": k.red},
        })
    return records


def corpus_documents(variants_per_class: int, seed: int) -> list[str]:
    """Pretraining documents: each a class of this family holding 1-6 solved train combinations
    (never a held-out one), in random order; the prompts' class contexts come from the same code."""
    rng = random.Random(seed)
    docs = []
    for cls, methods in sorted(train_by_class().items()):
        for _ in range(variants_per_class):
            docs.append(render_class(BY_CLS[cls], rng.sample(methods, k=rng.randint(1, 6))))
    rng.shuffle(docs)
    return docs


def write_tasks(path: Path) -> list[dict]:
    records = build_tasks()
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return records


def check_with_verifier(path: Path, records: list[dict]) -> int:
    """Reference passes; bare prompt, trivial bodies and two compiling neighbours per task fail."""
    import time

    from rlvr.tasks import load_tasks
    from rlvr.verifier import make_pool
    from rlvr.verifier.config import VerifierConfig

    tasks = load_tasks(path)
    jobs = programs_to_check(tasks, records, neighbours_per_task=None)
    t0 = time.time()
    with make_pool(VerifierConfig()) as pool:
        verdicts = pool.verify([j[0] for j in jobs], [j[2] for j in jobs])
    bad = [(t.id, kind, v.status, v.error[:200]) for (t, kind, _), v in zip(jobs, verdicts)
           if (v.status == "pass") != (kind == "reference")]
    print(f"checked {len(jobs)} programs of {len(tasks)} tasks in {time.time() - t0:.0f} s: {len(bad)} wrong")
    for b in bad[:20]:
        print("  ", b)
    return 1 if bad else 0


TRIVIAL = {"int": ["return 0;", "return -1;"], "long": ["return 0;", "return -1;"],
           "boolean": ["return false;", "return true;"]}


def programs_to_check(tasks, records, neighbours_per_task: int | None, seed: int = 0) -> list[tuple]:
    """(task, kind, completion) jobs: reference, bare prompt, trivial bodies, empty body, bare throw,
    and neighbours' reference bodies (all of them, or a seeded sample per task)."""
    by_key = {r["id"]: r for r in records}
    combos = {f"{k.cls}_{method_name(k)}": k for k in all_combos()}
    rng = random.Random(seed)
    jobs = []
    for t in tasks:
        k = combos[t.id]
        jobs.append((t, "reference", t.reference))
        jobs.append((t, "bare prompt", ""))
        jobs.append((t, "empty body", "\n    }\n}\n"))
        jobs.append((t, "bare throw", "\n        throw new UnsupportedOperationException();\n    }\n}\n"))
        for stmt in TRIVIAL[return_type(k)]:
            jobs.append((t, f"trivial {stmt}", f"\n        {stmt}\n    }}\n}}\n"))
        near = [o for o in neighbours(k) if body_compiles_in(o, k)]
        if neighbours_per_task is not None:
            near = rng.sample(near, min(neighbours_per_task, len(near)))
        for o in near:
            jobs.append((t, f"neighbour {o.key}", by_key[f"{o.cls}_{method_name(o)}"]["reference"]))
    return jobs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "tasks.jsonl")
    ap.add_argument("--check", action="store_true", help="verify every program with the real verifier pool")
    args = ap.parse_args()
    records = write_tasks(args.out)
    n_eval = sum(r["split"] == "eval" for r in records)
    print(f"wrote {len(records)} tasks ({len(records) - n_eval} train, {n_eval} eval) to {args.out}")
    return check_with_verifier(args.out, records) if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
