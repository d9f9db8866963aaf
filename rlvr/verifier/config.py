"""Verifier pool settings (the `verifier:` config group). `rlvr.verifier.pool.check_config` says what is allowed."""
from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class VerifierConfig:
    reward: str = "tiered"  # tiered (0/1/2) | binary (0/1 on pass) | partial (1 + passed/total) | coderl
    workers: int = 0  # warm worker JVMs / parallel Python runs; 0 = this node's cores / its ranks (LOCAL_WORLD_SIZE)
    # programs one worker JVM runs at once; on the bench batch 4 beat 2 by ~1.4x and 8 beat 4 by ~1.2x
    threads_per_worker: int = 8
    compile_timeout_s: float = 10.0
    # the most a program may run; a task with a reference gets max(floor, multiple x the reference's
    # measured run time) below that, so a looping program stops holding a thread long before it.
    # Loops were ~2/3 of the bench's CPU at a 0.5 s floor; at 0.1 s HumanEval-X (164/164), MBJP and
    # real completions keep every verdict, with both cores busy too, and a worker's first program to
    # use streams, lambdas, String.format and regex needs under 0.05 s
    run_timeout_s: float = 2.0
    run_timeout_floor_s: float = 0.1
    run_timeout_multiple: float = 20.0
    memory_mb: int = 256  # per program: bytes a Java program's threads allocate in all (Python: RLIMIT_AS)
    output_limit_bytes: int = 65536
    sandbox: str = "auto"  # auto (bwrap if installed, else warn loudly) | bwrap | none
    cache_size: int = 100_000  # verdicts kept by content hash
    # true = a timed-out program is stopped in its worker (Stopper.java's checks); false = its worker is restarted
    stop_threads: bool = True
    # appended to the worker JVM's flags; -Djava.security.manager=disallow runs JDK 17 without its SecurityManager
    jvm_args: list[str] = field(default_factory=list)


def node_share_of_cores() -> int:
    """This rank's share of the node's cores: cores / ranks on this node (LOCAL_WORLD_SIZE), at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        ranks = max(1, int(os.environ.get("LOCAL_WORLD_SIZE", "1")))
    except ValueError:
        ranks = 1
    return max(1, cores // ranks)


def resolved_workers(cfg: VerifierConfig) -> int:
    return cfg.workers or node_share_of_cores()
