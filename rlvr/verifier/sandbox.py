"""How untrusted programs are contained: the OS wrapper around verifier processes.

Layers, outermost first (Java; Python programs get 1, 2 and 4):
1. bubblewrap (`verifier.sandbox=auto|bwrap`): every worker JVM / Python run is started as
   `bwrap --unshare-all --die-with-parent --new-session --ro-bind / / --tmpfs /tmp --dev /dev
   --proc /proc`: no network (own empty net namespace), no writes outside a private /tmp (and the
   Python run's scratch dir), own pid/ipc/uts namespaces. `auto` uses it when `bwrap` is installed
   and works, else prints ONE warning and runs unwrapped; `bwrap` makes a missing bwrap a
   sandbox_error; `none` skips it.
2. Process lifetime: `setpriv --pdeathsig KILL` (and bwrap's --die-with-parent): a worker dies
   with the Python thread that started it, so a killed trainer leaves no orphans. Java workers
   also exit on stdin EOF. Python runs get rlimits (address space, CPU seconds, file size) and
   their own session, killed as a group on timeout.
3. Inside the JVM (Worker.java): a SecurityManager with stack inspection denies program code
   exit/halt, exec, sockets, file reads and writes, setIO, setAccessible, class loaders, env,
   threads outside its own group and more than `max_threads` threads; a constant-pool scan rejects
   programs that reference process/network/file/reflection-hacking APIs or System.exit at all
   (status runtime_error, "forbidden API"); each program gets a fresh ClassLoader (no static state
   survives) whose parent cannot see the worker's classes; stdin is empty and stdout/stderr are
   captured per program and capped at `output_limit_bytes` (the rest is discarded, not an error).
4. Timeouts: compile and run wall-clock limits; Java threads that outlive their limit are
   stopped (Thread.stop, Java <= 19), and a worker that cannot stop one halts and is restarted.

Not covered:
- Without bwrap there is no OS-level network or filesystem isolation for Python programs, and
  Java relies on the SecurityManager (gone in JDK 24+, where only the scan and bwrap remain).
- No cgroups: memory is bounded by the JVM heap (`-Xmx`, shared by the programs a worker runs
  at once; a program that hits OutOfMemoryError is `memory_limit`, others that failed while the
  heap was full are re-run) and by RLIMIT_AS for Python; CPU is bounded by wall-clock timeouts.
- Programs sharing a JVM share CPU, the heap and JDK-global locks (e.g. System.out's), so a
  hostile program can slow a neighbour; a stopped thread can leave JDK-internal state
  inconsistent (Thread.stop's known hazard) until the worker is restarted.
- Reading world-readable files and spinning CPU until the timeout are possible for Python
  programs; side channels and kernel exploits are out of scope. Run untrusted models' code only
  on machines you can throw away.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

SANDBOX_MODES = ("auto", "bwrap", "none")
_warned = False


@functools.lru_cache(maxsize=None)
def bwrap_works() -> bool:
    """bwrap is installed and can create namespaces here (it cannot in some containers)."""
    if shutil.which("bwrap") is None:
        return False
    try:
        return subprocess.run([*bwrap_prefix(), "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def bwrap_prefix(writable: tuple[str, ...] = (), readable: tuple[str, ...] = ()) -> list[str]:
    """bwrap argv: all of / read-only, a private /tmp, then `readable` paths that live under /tmp
    shown again read-only (the private /tmp would hide them) and `writable` paths bound read-write."""
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--dev", "/dev", "--proc", "/proc"]
    for path in dict.fromkeys(readable):
        if Path(path).is_absolute() and Path(path).is_relative_to("/tmp") and Path(path).exists():
            argv += ["--ro-bind", path, path]
    for path in writable:
        argv += ["--bind", path, path]
    return argv


def runtime_paths(*paths: str | Path) -> tuple[str, ...]:
    """What a wrapped program needs to read: this Python (a venv in /tmp, e.g. a CI checkout, would
    vanish behind the private /tmp) plus `paths` (e.g. the worker's class dir)."""
    python = (sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent))
    return tuple(str(p) for p in (*python, *paths))


class SandboxUnavailable(RuntimeError):
    """`sandbox=bwrap` was asked for but bwrap cannot run here."""


def use_bwrap(mode: str) -> bool:
    """Resolve `verifier.sandbox` to yes/no, warning once when `auto` has to degrade."""
    global _warned
    if mode == "none":
        return False
    if mode not in SANDBOX_MODES:
        raise ValueError(f"verifier.sandbox must be auto|bwrap|none, got {mode!r}")
    if bwrap_works():
        return True
    if mode == "bwrap":
        raise SandboxUnavailable("verifier.sandbox=bwrap but bwrap is missing or cannot create namespaces "
                                 "(apt-get install -y bubblewrap)")
    if not _warned:
        _warned = True
        print("=" * 78 + "\nWARNING rlvr.verifier: bubblewrap (bwrap) not available; untrusted programs run\n"
              "WITHOUT network/filesystem isolation (JVM SecurityManager + scan + rlimits only).\n"
              "Install it: apt-get install -y bubblewrap   (or set verifier.sandbox=none to silence)\n"
              + "=" * 78, file=sys.stderr, flush=True)
    return False


def wrap(argv: list[str], mode: str, writable: tuple[str, ...] = (), readable: tuple[str, ...] = ()) -> list[str]:
    """argv run so that it dies with the calling thread and, if enabled, inside bwrap."""
    prefix = ["setpriv", "--pdeathsig", "KILL"] if shutil.which("setpriv") else []
    if use_bwrap(mode):
        prefix += bwrap_prefix(writable, runtime_paths(*readable))
    return prefix + argv
