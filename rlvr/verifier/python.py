"""Python verifier, same contract as the Java one.

The solution (`prompt + cut completion`) must compile (`compile()`, no execution: else
`compile_error`); then the solution and, in a namespace of their own holding a copy of its names, the
tests (given on stdin, never a file) run under RUNNER, `python -I`, in a fresh scratch dir with rlimits
(address space `memory_mb` + 512 MB for the interpreter, CPU seconds, 16 MB
files), in its own session, inside bwrap when enabled. What it leaves behind is killed once it ends:
its process group, then whatever carries this run's RLVR_RUN mark in its environment (a setsid'd
daemon, a Popen'd child), so none outlives its verdict even without bwrap. One test:
pass = the program ran to its end and RUNNER then wrote this run's nonce to a private pipe, so a
solution that exits early (`sys.exit(0)`, `os._exit(0)`, an atexit hook) is a runtime_error, not
a pass; AssertionError = test_failure; MemoryError = memory_limit; else runtime_error. A completion
that mentions `__eq__` or `__ne__` is a runtime_error before it runs: an object equal to everything
passes any `assert f(x) == y` (the "always equal" reward hack); a string-built name still gets
through, as Python offers no allow-list.
Output beyond `output_limit_bytes` is read and discarded.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from rlvr.tasks import Task
from rlvr.verifier import sandbox
from rlvr.verifier.config import VerifierConfig, resolved_workers
from rlvr.verifier.verdict import Outcome

INTERPRETER_MB = 512  # what CPython itself maps before the program allocates anything
# runs the program it reads from stdin after the nonce; only if it ran to its end, writes the nonce to the pipe fd
# given in argv. The program is not given the nonce, so exiting early cannot say "done" for its tests. An audit hook
# refuses tracers, frames (where the nonce and the tests' names are), `__code__` writes and the garbage collector's
# object graph: a tracer that swapped the tests' code, or a gc callback that rebound their names, for no-ops passed
# every test (red team). It is a deny-list: a signal handler's frame still gets through (sandbox.py, "Not covered").
# No program file is on disk, so a program cannot read its tests' expected values from it, and no other run can
# rewrite it before it starts
RUNNER = """import os, sys
# everything the runner needs after the program ran is bound here, where the program cannot rebind it
# (`builtins.exec = ...` made the tests' exec a no-op, red team)
def audit(event, args, denied=frozenset({"sys.settrace", "sys.setprofile", "sys._current_frames",
          "gc.get_objects", "gc.get_referrers", "gc.get_referents"}),
          frames=frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"}), ValueError=ValueError):
    if event == "sys._getframe":  # what the stdlib meets where no frame is: namedtuple, warnings, logging go on
        raise ValueError("rlvr: frames are out of reach")
    if (event in denied or event == "object.__setattr__" and args[1] == "__code__"
            or event == "object.__getattr__" and args[1] in frames):
        raise RuntimeError(f"rlvr: forbidden: {event} {args[1:2]!r}")
def main(done_fd, exec=exec, dict=dict, write=os.write, exit=sys.exit, stdout=sys.stdout, stderr=sys.stderr):
    nonce = sys.stdin.buffer.readline().strip()
    solution = compile(sys.stdin.buffer.readline().decode().replace("\\x00", "\\n"), "solution.py", "exec")
    tests = compile(sys.stdin.buffer.read(), "tests.py", "exec")
    test_builtins = dict(vars(__builtins__))  # taken before the program can change the builtins module
    sys.addaudithook(audit)  # for good: no frame, tracer or code object of the runner or the tests is reachable
    try:
        names = {"__name__": "__main__"}
        exec(solution, names)
        # the tests get a copy of the solution's names and their own builtins: code the solution leaves
        # running (a gc callback, a finalizer) rebinds `check` in its own globals, not in the tests'
        exec(tests, {**names, "__builtins__": test_builtins})
    except SystemExit as e:
        exit(f"SystemExit: the program exited ({e.code!r}) before its tests finished")
    stdout.flush(); stderr.flush()
    write(done_fd, nonce)
main(int(sys.argv[1]))
"""


def compile_error(source: str, filename: str) -> str | None:
    """The first syntax error as `file:line: message`, or None if `source` compiles."""
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as e:
        return f"{filename}:{e.lineno}: {type(e).__name__}: {e.msg}"
    except (ValueError, MemoryError, RecursionError) as e:  # null bytes, absurd nesting
        return f"{filename}: {type(e).__name__}: {e}"
    return None


def _drain(stream, limit: int, sink: list[bytes]) -> None:
    kept = 0
    while chunk := stream.read(65536):
        if kept < limit:
            sink.append(chunk[: limit - kept])
            kept += len(sink[-1])


def kill_marked(mark: bytes) -> None:
    """SIGKILL every process whose environment holds `mark`: what a run left behind, wherever it moved."""
    for _ in range(2):  # a second pass for a process forked while the first one read /proc
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if mark in f.read().split(b"\0"):
                        os.kill(int(pid), signal.SIGKILL)
            except OSError:  # gone, or not ours to read
                pass


def run_program(task: Task, completion: str, cfg: VerifierConfig) -> Outcome:
    started = time.monotonic()
    solution = task.prompt + completion
    program = f"{solution}\n\n{task.tests}\n"
    error = compile_error(solution, "solution.py") or compile_error(program, "program.py")
    if error:
        return Outcome("compile_error", False, 0, 1, error, time.monotonic() - started)
    if not task.tests.strip():
        return Outcome("compiled", True, 0, 0, "", time.monotonic() - started)
    equality = next((name for name in ("__eq__", "__ne__") if name in completion), None)
    if equality:
        return Outcome("runtime_error", True, 0, 1, f"forbidden: the completion names {equality} (an object equal to "
                       "everything would pass any test)", time.monotonic() - started)
    mem = (cfg.memory_mb + INTERPRETER_MB) * 2**20
    cpu = int(cfg.run_timeout_s) + 1
    # --nofile: memfd files are host RAM outside --as, each up to --fsize (red team)
    limits = ["prlimit", f"--as={mem}", f"--cpu={cpu}", f"--fsize={16 * 2**20}", "--nofile=64", "--"]
    with tempfile.TemporaryDirectory(prefix="rlvr-py-") as scratch:
        done_read, done_write = os.pipe()
        nonce, mark = secrets.token_hex(16), secrets.token_hex(8)
        # under bwrap it writes only into its private, capped /tmp: the scratch dir is the host's disk or RAM
        argv = sandbox.wrap(limits + [sys.executable, "-I", "-B", "-c", RUNNER, str(done_write)], cfg.sandbox)
        proc = subprocess.Popen(argv, cwd=scratch, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True, pass_fds=(done_write,),
                                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": scratch, "RLVR_RUN": mark})
        os.close(done_write)
        try:
            proc.stdin.write(b"\n".join([nonce.encode(), solution.replace("\n", "\0").encode(), task.tests.encode()]))
            proc.stdin.close()
        except OSError:  # it died before reading
            pass
        out: list[bytes] = []
        err: list[bytes] = []
        readers = [threading.Thread(target=_drain, args=(proc.stdout, cfg.output_limit_bytes, out), daemon=True),
                   threading.Thread(target=_drain, args=(proc.stderr, cfg.output_limit_bytes, err), daemon=True)]
        for reader in readers:
            reader.start()
        try:
            proc.wait(timeout=cfg.run_timeout_s)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.kill()
            proc.wait()
        with contextlib.suppress(ProcessLookupError):  # what stayed in its session, marked or not
            os.killpg(proc.pid, signal.SIGKILL)
        kill_marked(f"RLVR_RUN={mark}".encode())  # and what left it: then nothing holds its pipes open
        for reader in readers:
            reader.join(timeout=5)
        os.set_blocking(done_read, False)  # written before it exited, or never: a daemon it left cannot block us
        try:
            finished = os.read(done_read, 64) == nonce.encode()
        except BlockingIOError:
            finished = False
        os.close(done_read)
    seconds = time.monotonic() - started
    stderr = b"".join(err).decode("utf-8", "replace").strip()
    last = stderr.splitlines()[-1] if stderr else ""
    if timed_out or proc.returncode == -signal.SIGXCPU:
        return Outcome("timeout", True, 0, 1, f"timed out after {cfg.run_timeout_s} s", seconds)
    if proc.returncode == 0:
        if finished:
            return Outcome("pass", True, 1, 1, "", seconds)
        return Outcome("runtime_error", True, 0, 1, "the program exited before its tests finished", seconds)
    if last.startswith("AssertionError"):
        return Outcome("test_failure", True, 0, 1, last, seconds)
    if last.startswith("MemoryError"):
        return Outcome("memory_limit", True, 0, 1, last, seconds)
    return Outcome("runtime_error", True, 0, 1, last or f"exit code {proc.returncode}", seconds)


class PythonVerifier:
    def __init__(self, cfg: VerifierConfig):
        self.cfg = cfg
        self._executor = ThreadPoolExecutor(max_workers=resolved_workers(cfg),
                                            thread_name_prefix="rlvr-python")

    def check(self, items: list[tuple[Task, str]]) -> list[Outcome]:
        return list(self._executor.map(lambda item: run_program(item[0], item[1], self.cfg), items))

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
