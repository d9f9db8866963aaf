"""Verdict: what every verifier returns (DESIGN.md "Verifier result"), and the reward shapes.

A backend measures an `Outcome` (status, counts, error); the pool turns it into a `Verdict` by
adding the reward for `verifier.reward`, so cached outcomes and reward shapes stay independent.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

STATUSES = ("pass", "compiled", "compile_error", "test_failure", "runtime_error", "timeout",
            "memory_limit", "sandbox_error")
REWARD_SHAPES = ("tiered", "binary", "partial", "coderl")
ERROR_CHARS = 300


@dataclass(frozen=True)
class Outcome:
    status: str
    compiled: bool
    tests_passed: int = 0
    tests_total: int = 0
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Verdict:
    reward: float  # nan for sandbox_error: the pool failed, the program was not judged
    status: str  # one of STATUSES
    compiled: bool
    tests_passed: int
    tests_total: int
    error: str  # first compiler error line or exception, <= 300 chars, for humans
    seconds: float  # time spent verifying (of the original run, for cached verdicts)
    cached: bool


def reward(outcome: Outcome, shape: str) -> float:
    """tiered 0/1/2; binary 1 on pass; partial 1 + passed/total once compiled; coderl (CodeRL):
    -1 no compile, -0.6 runtime error / timeout / memory, -0.3 failed tests, +1 pass.
    `compiled` (compiles, task has no tests) counts as compiled-not-passed everywhere."""
    status = outcome.status
    if status == "sandbox_error":
        return math.nan
    passed = status == "pass"
    if shape == "tiered":
        return 2.0 if passed else 1.0 if outcome.compiled else 0.0
    if shape == "binary":
        return 1.0 if passed else 0.0
    if shape == "partial":
        if not outcome.compiled:
            return 0.0
        return 1.0 + (outcome.tests_passed / outcome.tests_total if outcome.tests_total else float(passed))
    if shape == "coderl":
        if passed:
            return 1.0
        if not outcome.compiled:
            return -1.0
        return -0.3 if status in ("test_failure", "compiled") else -0.6
    raise ValueError(f"verifier.reward must be one of {REWARD_SHAPES}, got {shape!r}")


def to_verdict(outcome: Outcome, shape: str, cached: bool = False) -> Verdict:
    return Verdict(reward=reward(outcome, shape), status=outcome.status, compiled=outcome.compiled,
                   tests_passed=outcome.tests_passed, tests_total=outcome.tests_total,
                   error=clip(outcome.error), seconds=round(outcome.seconds, 4), cached=cached)


def sandbox_error(message: str, seconds: float = 0.0) -> Outcome:
    return Outcome(status="sandbox_error", compiled=False, error=clip(message), seconds=seconds)


def clip(text: str, limit: int = ERROR_CHARS) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."
