"""Verifier pool settings (the `verifier:` config group)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class VerifierConfig:
    reward: str = "tiered"  # tiered (0/1/2) | binary (0/1 on pass) | partial (1 + passed/total) | coderl
    workers: int = 0  # warm worker JVMs / parallel Python runs; 0 = one per core
    # programs one worker JVM runs at once (they share its heap); on the bench batch, whose time goes
    # mostly to timeouts (a looping program holds its thread for run_timeout_s), 4 beat 2 by ~1.4x
    # and 8 beat 4 by ~1.2x (58 vs 49 programs/s on 2 cores)
    threads_per_worker: int = 8
    compile_timeout_s: float = 10.0
    # a looping program holds a pool thread this long, so it sets the pool's throughput on batches with
    # loops; correct task programs took <= 0.49 s compile + run (p99 0.38 s) with both cores busy
    run_timeout_s: float = 2.0
    memory_mb: int = 256  # heap per program: a JVM gets threads_per_worker x this + 256 MB; Python RLIMIT_AS
    output_limit_bytes: int = 65536
    max_threads: int = 32  # threads one Java program may have alive
    sandbox: str = "auto"  # auto (bwrap if installed, else warn loudly) | bwrap | none
    cache_size: int = 100_000  # verdicts kept by content hash
