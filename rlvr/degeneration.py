"""Degeneration metrics: is the model still writing Java, or has it fallen into a loop?

Loss hides collapse: a model that emits `region region region` or `.S.S.S.S` is unsurprised by its
own output, so its loss looks fine while the samples are garbage. These pure functions score the
samples themselves (repetition, texture, all of it as one coherence_score, entropy spikes, loss
tiers, `return 0;`-style bodies that game compile reward), cheaply enough for every logged batch.

The repetition metrics take a sequence of units: the model's token ids when the caller has them,
otherwise `lexemes(text)` (Java lexemes plus whitespace runs), so they work for any tokenizer.
Whitespace runs are units on purpose: real Java repeats `}` at falling indentation
(`}\\n        }\\n    }`), which is not periodic, while a loop repeats byte for byte.
"""
from __future__ import annotations

import itertools
import math
import re
import statistics

# One alternation, tried in order: whitespace, comments and literals first so their contents are
# never lexed as code. Identifiers are ASCII on purpose: Java allows Unicode letters, but our
# models never need them and byte soup decodes to exactly such characters.
_LEXEME_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\n]|\\[^'\n]{1,6})')
  | (?P<word>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<number>(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)[lLfFdD]?)
  | (?P<op>>>>=|<<=|>>=|>>>|\.\.\.|->|::|\+\+|--|&&|\|\||[=!<>+\-*/%&|^]=|<<|>>|[=<>!~?:+\-*/&|^%])
  | (?P<sep>[(){}\[\];,.@])
  | (?P<junk>.)
""", re.VERBOSE | re.DOTALL)

# A whitespace-free stretch longer than this is not formatted Java (formatters break lines and
# space operators); `.S.S.S.S...` and byte soup produce such stretches, real method bodies do not.
MAX_CHUNK_CHARS = 64

# Per-sample loss tiers (mean token NLL, nats), upper bounds, from seed 002's audit table: each row's
# reference loss (0.13 memorised, 0.30 recall, 0.70 textbook, 1.00 constraint, 2.00 imprecise,
# 3.00 vocabulary, 5.00 early, 9.04 random over 8449 tokens) sits inside its band. Under 0.2 is the
# alert: check whether the model is generating or copying.
LOSS_TIERS = ((0.2, "memorised"), (0.5, "recall"), (0.85, "textbook"), (1.5, "constraint"), (2.5, "imprecise"),
              (4.0, "vocabulary"), (7.0, "early"), (math.inf, "random"))


def lexemes(text: str) -> list[str]:
    """Java lexemes of `text`, whitespace runs included as units (see the module docstring)."""
    return [m.group() for m in _LEXEME_RE.finditer(text)]


def _ngrams(units, n: int) -> list[tuple]:
    return [tuple(units[i:i + n]) for i in range(len(units) - n + 1)]


def distinct_n(units, n: int) -> float:
    """Unique n-grams / total n-grams (distinct-1/2/3); 0.0 when there is no n-gram at all."""
    grams = _ngrams(units, n)
    return len(set(grams)) / len(grams) if grams else 0.0


def repeated_ngram_frac(units, n: int = 4) -> float:
    """Fraction of n-gram positions whose n-gram already occurred earlier in the sequence: catches
    loops whose period is too long for `longest_repeat_run` (a line or method written again and again)."""
    grams = _ngrams(units, n)
    return (len(grams) - len(set(grams))) / len(grams) if grams else 0.0


def longest_repeat_run(units, max_n: int = 8) -> int:
    """Units covered by the longest loop: back-to-back copies of one n-gram, n <= max_n.

    Counted from the second copy on, so one occurrence of anything is 0: `a b a b a b` is 4
    (period 2, two repeats), `}}}` is 2, `.S` x 50 (100 units) is 98. A trailing partial copy
    counts (`a b a b a` is 3). Divide by len(units) for the fraction of a sample that is loop.
    """
    best = 0
    for n in range(1, max_n + 1):
        matches = 0  # consecutive i with units[i] == units[i + n]: a stretch with period n
        for i in range(len(units) - n):
            matches = matches + 1 if units[i] == units[i + n] else 0
            if matches >= n:  # at least one full extra copy
                best = max(best, matches)
    return best


def char_diversity(text: str) -> float:
    """Unique non-whitespace characters over min(their count, 20): a small constant rather than the
    length, so a short legit body (`return null;`) is not punished, while `}}}}}}` (1/6) and
    `.S.S.S.S` (2/20) score low."""
    chars = [c for c in text if not c.isspace()]
    return min(1.0, len(set(chars)) / min(len(chars), 20)) if chars else 0.0


# Lexeme adjacency, coarsely: which neighbours Java's grammar allows. Enough to tell code from
# symbol soup, not a parser. Angle brackets and `?` are exempt because generics
# (`Map<K, List<?>>`, `new ArrayList<>()`) put them next to anything.
_UNARY = {"-", "+", "!", "~", "++", "--"}
_POSTFIX = {"++", "--"}
_ANGLE = {"<", ">", ">>", ">>>", "?"}
_OPENER = {")": "(", "]": "[", "}": "{"}


def _lexeme_ok(prev: str | None, prev_kind: str | None, lex: str, kind: str, open_brackets: list[str]) -> bool:
    """Whether `lex` is a Java lexeme that may follow `prev`; tracks `open_brackets` as it goes."""
    if kind == "junk":
        return False
    if lex in _OPENER:
        if not open_brackets:
            return lex == "}"  # the completion closes the method and class it was given
        if open_brackets.pop() != _OPENER[lex]:
            return False  # `(` closed by `]`
    elif lex in ("(", "[", "{"):
        open_brackets.append(lex)
    if prev is None or lex in _ANGLE or prev in _ANGLE:
        return True
    if prev in (".", "@"):
        return kind == "word"  # member name, annotation name
    if prev_kind in ("number", "string") and kind in ("word", "number", "string"):
        return False  # `3NT`, `"a" b`: two operands in a row, only a keyword may precede one
    if lex == ".":
        return prev_kind in ("word", "number", "string") or prev in (")", "]")
    if kind == "op" and lex not in _UNARY:  # a binary operator needs an operand before it
        return prev_kind in ("word", "number", "string", "comment") or prev in (")", "]") or prev in _POSTFIX
    if lex in (")", "]", ";", ","):
        return prev_kind != "op" or prev in _POSTFIX  # `x + )`, `a = ;`
    return True


def java_token_frac(text: str) -> float:
    """Fraction of non-whitespace lexemes that are Java where they stand; 0.0 for text without any.

    Judged per whitespace-free stretch, all or nothing, because formatted Java is made of short
    stretches that lex cleanly (`insert(node.left,`) while soup hides a few plausible lexemes
    among bad ones. A stretch is not Java if it is longer than MAX_CHUNK_CHARS or holds one of:
    a character no lexeme starts with (`#`, backslash, control and non-ASCII characters outside
    strings and comments), an unterminated quote, neighbours the grammar forbids (`= ;`, `. (`,
    `3x`), a bracket closed by the wrong kind or never opened (`}` excepted: the completion
    closes its method and class)."""
    valid = total = 0
    prev = prev_kind = None
    open_brackets: list[str] = []
    for is_space, matches in itertools.groupby(_LEXEME_RE.finditer(text), key=lambda m: m.lastgroup == "space"):
        if is_space:
            continue
        stretch = [(m.group(), m.lastgroup) for m in matches]
        ok = sum(len(lex) for lex, _ in stretch) <= MAX_CHUNK_CHARS
        for lex, kind in stretch:
            ok &= _lexeme_ok(prev, prev_kind, lex, kind, open_brackets)  # &=: every lexeme moves the brackets
            prev, prev_kind = lex, kind
        valid += len(stretch) if ok else 0
        total += len(stretch)
    return valid / total if total else 0.0


def coherence_score(text: str, token_ids: list[int] | None = None) -> float:
    """0-100: how much `text` still looks like Java rather than a loop or garbage.

    Units are `token_ids` when given, else `lexemes(text)`. Every factor multiplies, because each
    failure is one of kind: byte soup is not Java however varied, and a sample that is 90 %
    `.S.S.S` keeps 10 % of its score. Variety only moves the score by half: long real bodies
    repeat identifiers (distinct-2 ~0.5). Legit Java repeats stay cheap: `}}` or `[][]` are 1-2
    units of a long body, and real code repeats well under half of its 8-grams (a 300-line BST
    class: a third; `return null;` three times: a few) while a line or method written over and
    over repeats nearly all of them. Empty text scores 0; real method bodies score >= 70; loops and
    byte soup <= 30. Not a grammar check: shuffled Java tokens still score high (the verifier
    judges correctness; this only watches for collapse).
    """
    units = list(token_ids) if token_ids is not None else lexemes(text)
    if not units or not text.strip():
        return 0.0
    variety = (distinct_n(units, 2) + distinct_n(units, 3) + char_diversity(text)) / 3
    run_frac = longest_repeat_run(units) / len(units)
    repeat_excess = (repeated_ngram_frac(units, 8) - 0.5) / 0.5
    loop = min(1.0, max(0.0, run_frac, repeat_excess))
    return 100.0 * java_token_frac(text) * (0.5 + 0.5 * variety) * (1.0 - loop)


def entropy_spike(entropies: list[float], window: int = 8, jump: float = 2.0) -> int | None:
    """First position whose entropy exceeds the mean of the `window` tokens before it by `jump` nats.

    That is where the model "lost the plot" (often right before a loop, whose own entropy is low);
    the first spike, not the largest, because later ones are its consequences. A 2-nat jump means
    e^2 ~ 7x as many plausible next tokens. None when there is no such position."""
    for i in range(window, len(entropies)):
        if entropies[i] - statistics.fmean(entropies[i - window:i]) >= jump:
            return i
    return None


def loss_tier(loss: float) -> str:
    """Seed 002's tier (LOSS_TIERS) of a per-sample mean token loss (nats); NaN and inf are random.
    perplexity = exp(loss). A low-loss sample with a low coherence_score is a loop, with a high one copied text."""
    return next((name for bound, name in LOSS_TIERS if loss < bound), "random")  # NaN < x is False


def degeneration_summary(texts: list[str]) -> dict:
    """Batch metrics for metrics.jsonl: per-sample means of the repetition metrics and coherence.

    `degeneration/longest_run` is longest_repeat_run as a fraction of each sample's units;
    `degeneration/unique_frac` is distinct samples / samples (a whole group collapsing onto one
    completion). {} for an empty batch, so nothing is logged rather than a fake 0."""
    if not texts:
        return {}
    rows = [(distinct_n(u, 1), distinct_n(u, 2), distinct_n(u, 3), repeated_ngram_frac(u, 4),
             longest_repeat_run(u) / len(u) if u else 0.0, coherence_score(text))
            for text, u in zip(texts, map(lexemes, texts))]
    keys = ("degeneration/distinct_1", "degeneration/distinct_2", "degeneration/distinct_3",
            "degeneration/repeat_frac", "degeneration/longest_run", "coherence/score")
    summary = {key: statistics.fmean(column) for key, column in zip(keys, zip(*rows))}
    summary["degeneration/unique_frac"] = len(set(texts)) / len(texts)
    return summary


_COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
# is_trivial_body's bodies, matched with all whitespace removed
_TRIVIAL_BODY_RE = re.compile(r"""(?:
    return(?:-?[\d.]+[lLfFdD]?|-?0[xX][0-9a-fA-F]+|null|true|false|""|'[^']{1,6}'
             |-?(?:java\.lang\.)?(?:Double|Float|Integer|Long|Short|Byte|Character)\.[A-Za-z_]\w*
             |new[\w.$<>,\[\]]+(?:\(\)|\[0?\]|\{\}))?;
  | thrownew[\w.$]+\((?:"[^"]*")?\);
  | ;
)?""", re.VERBOSE)


def is_trivial_body(completion: str) -> bool:
    """Whether the method body a completion writes (up to the brace closing the method) is trivial.

    Trivial: empty, or only `return;`, `return 0;` (any literal, or a boxed type's constant such as
    `Double.NaN`, which passes a test that checks `abs(f(x)) > eps`), `return null;`, `return "";`,
    `return new ArrayList<>();`, `return new int[0];`, `throw new X(...);` or `;`. Only the target
    method counts: what follows its closing brace is the class's business. Such bodies compile, so
    with a compile-only reward they are reward 1 for free: the report shows how often."""
    code = _COMMENT_RE.sub(" ", completion)
    depths = itertools.accumulate({"{": 1, "}": -1}.get(ch, 0) for ch in code)
    end = next((i for i, depth in enumerate(depths) if depth < 0), len(code))  # the brace closing the method
    body = re.sub(r"\s+", "", code[:end])
    return _TRIVIAL_BODY_RE.fullmatch(body) is not None
