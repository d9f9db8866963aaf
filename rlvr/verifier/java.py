"""Java verifier: warm worker JVMs (Worker.java, Javac.java, Scan.java) that compile and test programs in memory.

Program assembly (the convention task authors write tests to):
- solution unit = `prompt + cut completion`, in a file named after the prompt's public top-level class,
  or `Solution.java` if none is public (HumanEval-X `class Solution`, MBJP `class MinCost`);
- test unit `Main.java` = the prompt's import lines + `task.tests` (`[public] class Main`);
  blank tests mean compile only (status `compiled`). With a reference, each worker compiles the
  test unit once per task against `prompt + cut(reference)` and links every program of the task to
  those classes (the prompt fixes the API the tests call; a completion that changes it fails to
  link: runtime_error), and calibrates the task's CPU limit from the reference's run.
If Main has static no-arg `test*` methods each runs separately (tests_total = their count),
else `main(String[])` is one test. AssertionError, or an exception thrown by the tests' own code,
is `test_failure`; any other Throwable `runtime_error` (`java -ea Main`, pass = exit 0, agrees).
The tests' `a.equals(b)` and `Objects.equals(a, b)` compare trusted copies (RlvrEquals.java says why).

Processes: `workers` JVMs (default: this node's cores / its ranks), each running `threads_per_worker` programs at
once. Each JVM is served by that many long-lived "slot" threads here, which pull jobs from one
shared queue, so a slow program never blocks the others. A worker that dies or stops answering
is killed and restarted by the slot that noticed; the programs it held are re-run (up to
LOST_RERUNS times, then `sandbox_error`) -- never lost, never hanging. A worker that cannot stop a
timed-out program (one looping inside JDK code, or any with `stop_threads=false`; the rest are
stopped cooperatively, Stopper.java) replies with that program's verdict first, so only its innocent
neighbours are re-run. Isolation: see sandbox.py.
"""
from __future__ import annotations

import base64
import collections
import hashlib
import itertools
import os
import queue
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from rlvr.tasks import Task, cut_completion
from rlvr.verifier import sandbox
from rlvr.verifier.config import VerifierConfig, resolved_workers
from rlvr.verifier.verdict import Outcome, sandbox_error

WORKER_SOURCES = tuple(Path(__file__).with_name(name)
                       for name in ("Worker.java", "Javac.java", "Scan.java", "RlvrEquals.java"))
GUARD_SOURCE = Path(__file__).with_name("Guard.java")  # the SecurityManager: built below JDK 24 only
STOPPER_SOURCE = Path(__file__).with_name("Stopper.java")  # java.lang.classfile: built on JDK 24+ only
STOPPER_ASM_SOURCE = Path(__file__).with_name("StopperAsm.java")  # java.base's ASM: built below JDK 24 only
STOPPER_ERROR = "stopper-error.txt"  # in a worker class dir: why this JDK could not build the Stopper
LOST_RERUNS = 2  # a program whose worker died under it unexplained is re-run this often, then sandbox_error
# a worker that exits with this code replied to the program it could not stop, then restarted on purpose:
# the programs it held were innocent and are re-run without counting it (up to RESTART_RERUNS times)
RESTART_EXIT = 3
RESTART_RERUNS = 50
HEAP_RERUNS = 2  # a failure that may be another program's heap exhaustion is re-run this often
START_TIMEOUT_S = 120.0  # JVM start + warm-up; slow when the machine is loaded

_PUBLIC_CLASS = re.compile(
    r"^public\s+(?:(?:final|abstract|strictfp|sealed|non-sealed)\s+)*(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)",
    re.M)
_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?[\w.]+(?:\s*\.\s*\*)?\s*;", re.M)


def solution_file_name(prompt: str) -> str:
    """`X.java` for the first top-level (column 0) `public class X`, else `Solution.java`."""
    match = _PUBLIC_CLASS.search(prompt)
    return f"{match.group(1)}.java" if match else "Solution.java"


def assemble_tests(prompt: str, tests: str) -> str:
    """The tests' compilation unit: the prompt's imports, then the tests."""
    imports = "\n".join(m.group(0).strip() for m in _IMPORT.finditer(prompt))
    return f"{imports}\n{tests}" if imports and tests.strip() else tests


# ----------------------------------------------------------------------------- the worker JVM

def java_version() -> str:
    out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60)
    return (out.stderr or out.stdout).strip()


def jdk_feature(version: str) -> int:
    """The feature release (17, 21, 25 ...) in `java -version`'s text; 8 for "1.8.0_392"; 0 if none."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version)
    if not match:
        return 0
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


# Javac.java keeps javac contexts warm with the JDK's JavacTaskPool, which jdk.compiler does not export;
# StopperAsm.java uses the ASM inside java.base, which it exports to no one (JDK 17-24 have it)
JAVAC_EXPORTS = "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED"
ASM_EXPORTS = "--add-exports=java.base/jdk.internal.org.objectweb.asm=ALL-UNNAMED"


def worker_classdir(version: str) -> Path:
    """Worker.class (+ Javac, Scan, RlvrEquals, Stopper; Guard below JDK 24) compiled once per (sources,
    JDK `version`, java_version's text) into ~/.cache/rlvr/verifier/<hash>/."""
    old_jdk = jdk_feature(version) < 24
    sources = [*WORKER_SOURCES, *([GUARD_SOURCE] if old_jdk else [])]
    stopper = STOPPER_ASM_SOURCE if old_jdk else STOPPER_SOURCE
    key = hashlib.sha256(b"".join(path.read_bytes() for path in [*sources, stopper]) + version.encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rlvr" / "verifier"
    target = cache / key
    if (target / "Worker.class").is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=cache))  # concurrent builders: last rename wins
    javac = ["javac", "-nowarn", "-Xlint:none", JAVAC_EXPORTS, *([ASM_EXPORTS] if old_jdk else []), "-d", str(build)]
    result = subprocess.run([*javac, *map(str, sources)], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        shutil.rmtree(build, ignore_errors=True)
        raise RuntimeError(f"cannot compile Worker.java: {result.stderr.strip()[:500]}")
    # apart: a JDK whose class-file library differs still verifies, with every timeout restarting its worker
    result = subprocess.run([*javac, "-cp", str(build), str(stopper)], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:  # said at every pool start (JavaVerifier._jvm)
        (build / STOPPER_ERROR).write_text(f"{stopper.name}: {result.stderr.strip()[:300]}")
    try:
        build.rename(target)
    except OSError:  # another process got there first
        shutil.rmtree(build, ignore_errors=True)
    return target


def jvm_argv(cfg: VerifierConfig, classdir: Path, feature: int) -> list[str]:
    """The worker JVM's command line on JDK `feature` (jdk_feature)."""
    # each program may allocate memory_mb in all before it is stopped, so they fit side by side
    heap_mb = cfg.memory_mb * cfg.threads_per_worker + 256  # + javac and the worker itself
    # JDK 18-23 let Worker install its SecurityManager only with `allow`; JDK 24+ refuses to start with it
    old_jdk = ["-Djava.security.manager=allow", ASM_EXPORTS] if feature <= 23 else []
    java = shutil.which("java") or "java"  # this PATH's, for the pool's life: a restart cannot switch JDKs
    return [java, f"-Xmx{heap_mb}m", "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:MaxMetaspaceSize=512m", "-XX:ReservedCodeCacheSize=64m", "-XX:-UsePerfData",
            JAVAC_EXPORTS, *old_jdk, "-Dfile.encoding=UTF-8", *cfg.jvm_args, "-cp", str(classdir), "Worker",
            str(int(cfg.compile_timeout_s * 1000)), str(int(cfg.run_timeout_s * 1000)),
            str(cfg.output_limit_bytes), str(cfg.threads_per_worker), str(cfg.memory_mb << 20),
            str(int(cfg.run_timeout_floor_s * 1000)), repr(float(cfg.run_timeout_multiple)), str(int(cfg.stop_threads))]


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"WARNING rlvr.verifier: {message}", file=sys.stderr, flush=True)


class WorkerDied(RuntimeError):
    def __init__(self, why: str, deliberate: bool = False):
        super().__init__(why)
        self.deliberate = deliberate  # it restarted to stop a neighbour that already has its verdict


def worker_env() -> dict[str, str]:
    """The worker JVM's environment: what a JVM and its locale need, never the trainer's tokens and keys."""
    kept = ("PATH", "LANG", "LC_ALL", "TZ", "JAVA_HOME", "TMPDIR", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")
    return {**{k: os.environ[k] for k in kept if k in os.environ}, "MALLOC_ARENA_MAX": "2"}


class JvmProcess:
    """One worker JVM: requests written as lines, replies matched by id and checked by nonce."""

    def __init__(self, argv: list[str]):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=worker_env())
        self.ready = threading.Event()
        self.banner = ""
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=5)  # why a JVM would not start
        self._ids = itertools.count()
        self._pending: dict[int, tuple[str, Future]] = {}
        self._lock = threading.Lock()  # guards _pending and _dead
        self._write_lock = threading.Lock()  # one request line at a time on stdin
        self._dead = False
        threading.Thread(target=self._read_replies, name="rlvr-jvm-reader", daemon=True).start()
        self.stderr_reader = threading.Thread(target=self._drain_stderr, name="rlvr-jvm-stderr", daemon=True)
        self.stderr_reader.start()

    @property
    def alive(self) -> bool:
        return not self._dead and self.proc.poll() is None

    def submit(self, solution_file: str, solution: str, tests: str, reference: str) -> Future:
        request_id, nonce, future = next(self._ids), secrets.token_hex(8), Future()
        line = "\t".join([str(request_id), nonce, solution_file, _b64(solution), _b64(tests), _b64(reference)]) + "\n"
        with self._lock:
            if self._dead:
                raise WorkerDied("worker is dead")
            self._pending[request_id] = (nonce, future)
        try:
            with self._write_lock:
                self.proc.stdin.write(line.encode())
                self.proc.stdin.flush()
        except (OSError, ValueError) as e:
            self._fail_pending(f"worker stdin closed: {e}")
        return future

    def _read_replies(self) -> None:
        for raw in self.proc.stdout:
            fields = raw.decode("utf-8", "replace").rstrip("\n").split("\t")
            if fields[0] == "READY":
                self.banner = "\t".join(fields[1:])
                self.ready.set()
                continue
            if len(fields) != 9 or not fields[1].isdigit():
                continue  # not a reply of ours (cannot happen: programs never reach this stream)
            with self._lock:
                nonce, future = self._pending.get(int(fields[1]), (None, None))
                if nonce != fields[0]:
                    continue  # forged or stale reply
                del self._pending[int(fields[1])]
            if not future.done():
                future.set_result(fields[2:])
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if code == RESTART_EXIT:
            self._fail_pending("worker restarted to stop a timed-out neighbour", deliberate=True)
        else:
            self._fail_pending(f"worker exited (code {code})")

    def _drain_stderr(self) -> None:
        """Keeps the JVM's last stderr lines (its own errors and warnings; programs' output is captured
        inside the worker), and keeps the pipe from filling up and blocking it."""
        try:
            for raw in self.proc.stderr:
                self.stderr_tail.append(raw.decode("utf-8", "replace").strip())
        except (OSError, ValueError):  # closed by kill()
            pass

    def _fail_pending(self, why: str, deliberate: bool = False) -> None:
        with self._lock:
            self._dead = True
            pending, self._pending = list(self._pending.values()), {}
        self.ready.set()
        for _, future in pending:
            if not future.done():
                future.set_exception(WorkerDied(why, deliberate))

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        self._fail_pending("worker killed")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")


def _outcome(fields: list[str]) -> tuple[Outcome, bool]:
    status, compiled, passed, total, millis, retry, error = fields
    outcome = Outcome(status=status, compiled=compiled == "1", tests_passed=int(passed), tests_total=int(total),
                      error=base64.b64decode(error).decode("utf-8", "replace"), seconds=int(millis) / 1000)
    return outcome, retry == "1"


# ----------------------------------------------------------------------------- the verifier

class _Job:
    def __init__(self, solution_file: str, solution: str, tests: str, reference: str):
        self.solution_file, self.solution, self.tests, self.reference = solution_file, solution, tests, reference
        self.future: Future = Future()
        self.lost = 0  # times its worker died under it, unexplained
        self.restarts = 0  # times its worker restarted on purpose under it
        self.heap_retries = 0


class _Slot:
    """The JVM a group of slot threads shares; (re)started by whichever slot finds it dead."""

    def __init__(self):
        self.lock = threading.Lock()
        self.jvm: JvmProcess | None = None


class JavaVerifier:
    def __init__(self, cfg: VerifierConfig):
        self.cfg = cfg
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._slots: list[_Slot] = []
        self._threads: list[threading.Thread] = []
        self._argv: list[str] | None = None
        self._start_lock = threading.Lock()
        self._closed = False
        self._deadline_s = cfg.compile_timeout_s + cfg.run_timeout_s + 15.0  # Java enforces the real limits

    def check(self, items: list[tuple[Task, str]]) -> list[Outcome]:
        """Outcomes for (task, cut completion) pairs, in order; blocks until all are done."""
        self._start()
        jobs = []
        for task, completion in items:
            solution = task.prompt + completion
            reference = task.prompt + cut_completion(task, task.reference) if task.reference else ""
            # named and imported from the prompt alone: a completion's comment cannot rename its unit or add imports
            jobs.append(_Job(solution_file_name(task.prompt), solution, assemble_tests(task.prompt, task.tests), reference))
        for job in jobs:
            self._jobs.put(job)
        return [job.future.result() for job in jobs]

    def worker_pids(self) -> list[int]:
        return [s.jvm.proc.pid for s in self._slots if s.jvm is not None and s.jvm.alive]

    def close(self) -> None:
        self._closed = True
        for _ in self._threads:
            self._jobs.put(None)
        for slot in self._slots:
            with slot.lock:
                if slot.jvm is not None:
                    slot.jvm.kill()
        while True:  # anything still queued gets an answer
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None and not job.future.done():
                job.future.set_result(sandbox_error("verifier pool closed"))

    def _start(self) -> None:
        with self._start_lock:
            if self._threads:
                return
            if self._closed:
                raise RuntimeError("verifier pool is closed")
            workers = resolved_workers(self.cfg)
            self._slots = [_Slot() for _ in range(workers)]
            for slot in self._slots:
                for _ in range(self.cfg.threads_per_worker):
                    thread = threading.Thread(target=self._serve, args=(slot,), name="rlvr-java-slot", daemon=True)
                    thread.start()
                    self._threads.append(thread)

    def _serve(self, slot: _Slot) -> None:
        """Slot thread: take a job, run it on this slot's JVM, answer it. Exits on None."""
        while True:
            job = self._jobs.get()
            if job is None or self._closed:
                if job is not None:
                    job.future.set_result(sandbox_error("verifier pool closed"))
                return
            try:
                outcome = self._run(slot, job)
            except Exception as e:  # a bug here must not strand the caller
                outcome = sandbox_error(f"java verifier: {e!r}")
            if outcome is not None:
                job.future.set_result(outcome)

    def _run(self, slot: _Slot, job: _Job) -> Outcome | None:
        """The job's outcome, or None if it was put back on the queue for a re-run."""
        started = time.monotonic()
        try:
            jvm = self._jvm(slot)
        except Exception as e:
            return sandbox_error(f"cannot start Java worker: {e}")
        try:
            future = jvm.submit(job.solution_file, job.solution, job.tests, job.reference)
            outcome, heap_suspect = _outcome(future.result(timeout=self._deadline_s))
        except (WorkerDied, FutureTimeout) as e:
            self._restart(slot, jvm)
            if isinstance(e, WorkerDied) and e.deliberate:
                job.restarts += 1
            else:
                job.lost += 1
            if job.lost > LOST_RERUNS or job.restarts > RESTART_RERUNS or self._closed:
                why = "worker stopped answering" if isinstance(e, FutureTimeout) else str(e)
                return sandbox_error(f"{why} (tried {job.lost} times)", time.monotonic() - started)
            self._jobs.put(job)
            return None
        if heap_suspect and job.heap_retries < HEAP_RERUNS and not self._closed:
            job.heap_retries += 1
            self._jobs.put(job)
            return None
        return outcome

    def _jvm(self, slot: _Slot) -> JvmProcess:
        with slot.lock:
            if slot.jvm is None or not slot.jvm.alive:
                if self._argv is None:
                    version = java_version()  # once: a `java -version` process costs ~0.1 s
                    classdir = worker_classdir(version)
                    if (classdir / STOPPER_ERROR).is_file():
                        _warn_once("this JDK cannot build the cooperative stop, so every timed-out program restarts "
                                   f"its worker ({(classdir / STOPPER_ERROR).read_text()})")
                    argv = jvm_argv(self.cfg, classdir, jdk_feature(version))
                    self._argv = sandbox.wrap(argv, self.cfg.sandbox, readable=(str(classdir),))
                # started from this long-lived slot thread: pdeathsig ties the JVM to it
                slot.jvm = JvmProcess(self._argv)
            jvm = slot.jvm
        if not jvm.ready.wait(START_TIMEOUT_S) or not jvm.alive:
            jvm.stderr_reader.join(timeout=1)  # a JVM that exited has written all it will say
            self._restart(slot, jvm)
            said = " | ".join(line for line in jvm.stderr_tail if line) or "no output"
            raise RuntimeError(f"worker JVM did not start ({said}): java on PATH? enough memory? verifier.jvm_args?")
        if "sm=0" in jvm.banner:
            _warn_once(f"this JDK ({jvm.banner}) has no SecurityManager: Java programs are contained only by "
                       "the bytecode allow-list and bwrap (both still stop the hostile set; see sandbox.py)")
        return jvm

    def _restart(self, slot: _Slot, jvm: JvmProcess) -> None:
        """Kill `jvm` if it is still this slot's; the next job starts a fresh one."""
        with slot.lock:
            if slot.jvm is jvm:
                jvm.kill()
                slot.jvm = None
