"""VerifierPool: the one entry point stages use to turn completions into Verdicts.

    with make_pool(cfg) as pool:
        verdicts = pool.verify(tasks, completions)     # input order; never raises
        rewards = pool.score(tasks, completions)       # floats, None for sandbox_error (TRL masks)
        verdicts = await pool.averify(tasks, completions)

`tasks[i]` pairs with `completions[i]`, the RAW completion: the pool is the one place that cuts it
(`rlvr.tasks.cut_completion`). A trivial body (`rlvr.degeneration.is_trivial_body`: `return 0;`,
`return null;`, empty, a bare throw) keeps its status but earns reward 0.0 in every shape, its error
saying "trivial body". `sandbox_failure(verdicts)` is the stop signal for stages.
`task.language` picks the backend from REGISTRY. Each
program is keyed by a content hash (language, task id, prompt, tests, cut completion, the config
that changes outcomes); identical programs in a batch run once, and a bounded LRU cache answers
repeats with `cached=True`. sandbox_error verdicts are never cached. Backends start lazily on
first use, from threads the pool owns, and `close()` kills them (atexit does too).
"""
from __future__ import annotations

import asyncio
import atexit
import dataclasses
import hashlib
import json
import math
import os
import threading
import weakref
from collections import Counter, OrderedDict
from typing import Callable, Protocol

from rlvr.degeneration import is_trivial_body
from rlvr.tasks import Task, cut_completion
from rlvr.verifier.config import VerifierConfig
from rlvr.verifier.java import JavaVerifier
from rlvr.verifier.python import PythonVerifier
from rlvr.verifier.sandbox import SANDBOX_MODES
from rlvr.verifier.verdict import REWARD_SHAPES, Outcome, Verdict, sandbox_error, to_verdict


class Verifier(Protocol):
    def check(self, items: list[tuple[Task, str]]) -> list[Outcome]: ...  # (task, cut completion) -> outcome
    def close(self) -> None: ...


REGISTRY: dict[str, Callable[[VerifierConfig], Verifier]] = {"java": JavaVerifier, "python": PythonVerifier}

_OUTCOME_FIELDS = ("compile_timeout_s", "run_timeout_s", "run_timeout_floor_s", "run_timeout_multiple", "memory_mb",
                   "output_limit_bytes")
TRIVIAL = "trivial body: no reward"
_live_pools: weakref.WeakSet = weakref.WeakSet()


def program_key(task: Task, completion: str, cfg: VerifierConfig) -> str:
    """Content hash of everything that decides a verdict; `completion` is already cut."""
    parts = [task.language, task.id, task.prompt, task.tests, completion, cfg.reward,
             *(str(getattr(cfg, name)) for name in _OUTCOME_FIELDS)]
    return hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogatepass")).hexdigest()


class VerifierPool:
    def __init__(self, cfg: VerifierConfig | None = None):
        self.cfg = cfg or VerifierConfig()
        check_config(self.cfg)  # a bad value fails here, before any JVM starts, not as a batch of sandbox_errors
        self._backends: dict[str, Verifier] = {}
        self._cache: OrderedDict[str, Verdict] = OrderedDict()
        self._lock = threading.Lock()
        self._pid = os.getpid()
        _live_pools.add(self)

    # -- public API -----------------------------------------------------------------------
    def verify(self, tasks: list[Task], completions: list[str]) -> list[Verdict]:
        if len(tasks) != len(completions):
            raise ValueError(f"{len(tasks)} tasks but {len(completions)} completions")
        try:
            return self._verify(list(tasks), list(completions))
        except Exception as e:  # the contract: a pool failure is a verdict, never an exception
            return [to_verdict(sandbox_error(f"verifier pool: {e!r}"), self.cfg.reward)] * len(tasks)

    async def averify(self, tasks: list[Task], completions: list[str]) -> list[Verdict]:
        return await asyncio.get_running_loop().run_in_executor(None, self.verify, tasks, completions)

    def score(self, tasks: list[Task], completions: list[str]) -> list[float | None]:
        return [None if math.isnan(v.reward) else v.reward for v in self.verify(tasks, completions)]

    def worker_pids(self) -> list[int]:
        """Live Java worker processes (for tests and monitoring)."""
        java = self._backends.get("java")
        return java.worker_pids() if isinstance(java, JavaVerifier) else []

    def close(self) -> None:
        with self._lock:
            backends, self._backends = list(self._backends.values()), {}
        for backend in backends:
            backend.close()

    def __enter__(self) -> VerifierPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals ------------------------------------------------------------------------
    def _verify(self, tasks: list[Task], completions: list[str]) -> list[Verdict]:
        verdicts: list[Verdict | None] = [None] * len(tasks)
        todo: dict[str, list[int]] = {}  # key -> indices sharing that program
        cut = []
        for i, (task, completion) in enumerate(zip(tasks, completions)):
            cut.append(cut_completion(task, completion if isinstance(completion, str) else ""))
            key = program_key(task, cut[i], self.cfg)
            with self._lock:
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
            if hit is not None:
                verdicts[i] = dataclasses.replace(hit, cached=True)
            else:
                todo.setdefault(key, []).append(i)
        by_language: dict[str, list[str]] = {}
        for key, indices in todo.items():
            by_language.setdefault(tasks[indices[0]].language, []).append(key)
        for language, keys in by_language.items():
            outcomes = self._check(language, [(tasks[todo[k][0]], cut[todo[k][0]]) for k in keys])
            for key, outcome in zip(keys, outcomes):
                verdict = to_verdict(outcome, self.cfg.reward)
                if verdict.status != "sandbox_error":
                    self._remember(key, verdict)
                first, *duplicates = todo[key]
                verdicts[first] = verdict
                for i in duplicates:
                    verdicts[i] = dataclasses.replace(verdict, cached=verdict.status != "sandbox_error")
        return [no_reward_if_trivial(task, c, v) for task, c, v in zip(tasks, cut, verdicts)]

    def _check(self, language: str, items: list[tuple[Task, str]]) -> list[Outcome]:
        if language not in REGISTRY:
            return [sandbox_error(f"no verifier for language {language!r} (have {sorted(REGISTRY)})")] * len(items)
        try:
            return self._backend(language).check(items)
        except Exception as e:
            return [sandbox_error(f"{language} verifier: {e!r}")] * len(items)

    def _backend(self, language: str) -> Verifier:
        with self._lock:
            if os.getpid() != self._pid:  # forked: the parent's worker threads are not ours
                self._backends, self._pid = {}, os.getpid()
            if language not in self._backends:
                self._backends[language] = REGISTRY[language](self.cfg)
            return self._backends[language]

    def _remember(self, key: str, verdict: Verdict) -> None:
        with self._lock:
            self._cache[key] = verdict
            self._cache.move_to_end(key)
            while len(self._cache) > self.cfg.cache_size:
                self._cache.popitem(last=False)


def no_reward_if_trivial(task: Task, cut: str, verdict: Verdict) -> Verdict:
    """A trivial Java body earns 0.0 whatever it did (status kept), so no shape pays for `return 0;`."""
    if task.language != "java" or verdict.status == "sandbox_error" or not is_trivial_body(cut):
        return verdict
    return dataclasses.replace(verdict, reward=0.0, error=f"{TRIVIAL}; {verdict.error}" if verdict.error else TRIVIAL)


def sandbox_failure(verdicts: list[Verdict]) -> str | None:
    """One line when >= half of a non-empty batch is sandbox_error (the pool, not the programs, failed)."""
    failed = [v for v in verdicts if v.status == "sandbox_error"]
    if not verdicts or 2 * len(failed) < len(verdicts):
        return None
    errors = Counter(v.error for v in failed).most_common(1)[0][0] or "no error text"
    return (f"verifier pool failed on {len(failed)}/{len(verdicts)} programs (sandbox_error): {errors} "
            "-- check java/javac and bwrap (verifier.sandbox=none to run without it)")


def check_config(cfg: VerifierConfig) -> None:
    """Every VerifierConfig value that cannot work -> rlvr.config.ConfigError naming `verifier.<key>`."""
    from rlvr.config import ConfigError  # rlvr.config imports this package: import late

    def need(ok: bool, key: str, allowed: str) -> None:
        if not ok:
            raise ConfigError(f"verifier.{key}={getattr(cfg, key)!r}: {allowed}")

    def number(key: str) -> bool:
        value = getattr(cfg, key)
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

    need(cfg.reward in REWARD_SHAPES, "reward", f"must be one of {'|'.join(REWARD_SHAPES)}")
    need(cfg.sandbox in SANDBOX_MODES, "sandbox", f"must be one of {'|'.join(SANDBOX_MODES)}")
    need(isinstance(cfg.stop_threads, bool), "stop_threads", "must be true or false")
    need(isinstance(cfg.jvm_args, (list, tuple)) and all(isinstance(a, str) and a.startswith("-") for a in cfg.jvm_args),
         "jvm_args", "must be a list of JVM flags, each starting with '-'")
    for key, low, allowed in (("workers", 0, "must be >= 0 (0 = this node's cores / its ranks)"),
                              ("threads_per_worker", 1, "must be >= 1"), ("memory_mb", 16, "must be >= 16"),
                              ("output_limit_bytes", 0, "must be >= 0"),
                              ("cache_size", 0, "must be >= 0")):
        need(isinstance(getattr(cfg, key), int) and not isinstance(getattr(cfg, key), bool)
             and getattr(cfg, key) >= low, key, f"an integer that {allowed}")
    for key in ("compile_timeout_s", "run_timeout_s", "run_timeout_floor_s", "run_timeout_multiple"):
        need(number(key) and getattr(cfg, key) > 0, key, "must be a number > 0")
    need(cfg.run_timeout_floor_s <= cfg.run_timeout_s, "run_timeout_floor_s", "must be <= verifier.run_timeout_s")


def make_pool(cfg: VerifierConfig | None = None) -> VerifierPool:
    """A pool for `cfg`; raises rlvr.config.ConfigError for a value that cannot work, before any JVM starts."""
    return VerifierPool(cfg)


@atexit.register
def _close_live_pools() -> None:
    for pool in list(_live_pools):
        pool.close()
