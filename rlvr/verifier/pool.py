"""VerifierPool: the one entry point stages use to turn completions into Verdicts.

    with make_pool(cfg) as pool:
        verdicts = pool.verify(tasks, completions)     # input order; never raises
        rewards = pool.score(tasks, completions)       # floats, None for sandbox_error (TRL masks)
        verdicts = await pool.averify(tasks, completions)

`tasks[i]` pairs with `completions[i]`; `task.language` picks the backend from REGISTRY. Each
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
from collections import OrderedDict
from typing import Callable, Protocol

from rlvr.tasks import Task, cut_completion
from rlvr.verifier.config import VerifierConfig
from rlvr.verifier.java import JavaVerifier
from rlvr.verifier.python import PythonVerifier
from rlvr.verifier.verdict import Outcome, Verdict, reward, sandbox_error, to_verdict


class Verifier(Protocol):
    def check(self, items: list[tuple[Task, str]]) -> list[Outcome]: ...  # (task, cut completion) -> outcome
    def close(self) -> None: ...


REGISTRY: dict[str, Callable[[VerifierConfig], Verifier]] = {"java": JavaVerifier, "python": PythonVerifier}

_OUTCOME_FIELDS = ("compile_timeout_s", "run_timeout_s", "memory_mb", "output_limit_bytes", "max_threads")
_live_pools: weakref.WeakSet = weakref.WeakSet()


def program_key(task: Task, completion: str, cfg: VerifierConfig) -> str:
    """Content hash of everything that decides a verdict; `completion` is already cut."""
    parts = [task.language, task.id, task.prompt, task.tests, completion, cfg.reward,
             *(str(getattr(cfg, name)) for name in _OUTCOME_FIELDS)]
    return hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogatepass")).hexdigest()


class VerifierPool:
    def __init__(self, cfg: VerifierConfig | None = None):
        self.cfg = cfg or VerifierConfig()
        reward(Outcome("pass", True), self.cfg.reward)  # an unknown reward shape fails here, not mid-run
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
        return verdicts

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


def make_pool(cfg: VerifierConfig | None = None) -> VerifierPool:
    return VerifierPool(cfg)


@atexit.register
def _close_live_pools() -> None:
    for pool in list(_live_pools):
        pool.close()
