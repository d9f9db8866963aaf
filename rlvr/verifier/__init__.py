"""Verifier pool: completions in, Verdicts out (DESIGN.md "Verifier result").

    from rlvr.verifier import Verdict, VerifierPool, make_pool, REGISTRY
    with make_pool(cfg.verifier) as pool:
        verdicts = pool.verify(tasks, raw_completions)   # the pool cuts them
    if (why := sandbox_failure(verdicts)): stop with `why`

Modules: verdict.py (Verdict, reward shapes), pool.py (cache, dedupe, dispatch), java.py + Worker.java
(warm JVMs), python.py, sandbox.py (what is and is not isolated), config.py (VerifierConfig).
"""
from rlvr.verifier.config import VerifierConfig
from rlvr.verifier.pool import REGISTRY, VerifierPool, check_config, make_pool, sandbox_failure
from rlvr.verifier.verdict import STATUSES, Verdict

__all__ = ["REGISTRY", "STATUSES", "Verdict", "VerifierConfig", "VerifierPool", "check_config", "make_pool",
           "sandbox_failure"]
