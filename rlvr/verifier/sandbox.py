"""How untrusted programs are contained, layer by layer, and what each layer covers on which JDK.

Layers (Java programs get all; Python programs get 1, 2 and rlimits):
1. Bytecode allow-list (Scan.java, every JDK): before anything runs, the constant pool of
   the program's own classes may name only its own classes and an allow-listed part of the JDK
   (java.lang basics, java.util incl. function/stream/regex/concurrent collections, java.math,
   java.text, java.time, in-memory java.io streams, MessageDigest); System, Thread and Class only
   through listed members; java.lang.invoke only as javac's bootstrap methods (lambdas, string
   concatenation, records). Anything else is `runtime_error` "forbidden API: X" (the program did
   compile, so it keeps the compile tier of the reward; it never runs). There is no reflection,
   so a class name built from strings (`Class.forName("java.lang.Run" + "time")`) reaches nothing.
2. bubblewrap (`verifier.sandbox=auto|bwrap`): each worker JVM / Python run is started as
   `bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL --ro-bind / / --size 64M
   --tmpfs /tmp --dev /dev --size 64M --tmpfs /dev/shm --remount-ro /dev --proc /proc --chdir /tmp`:
   no network, no capabilities (root's would undo the read-only bind), no writes outside a private
   64 MB /tmp and /dev/shm (host RAM no rlimit counts), own pid/ipc/uts namespaces. `auto`
   uses it when bwrap works here (unprivileged user namespaces), else warns ONCE; `bwrap` makes a
   missing bwrap a sandbox_error; `none` skips it.
3. SecurityManager (JDK 17-23, Guard.java, compiled only there): stack inspection denies program code exit,
   exec, network, files, env, setIO, reflection past access checks, class loaders and
   starting threads -- the same things as layer 1, again. JDK 24+ (or JDK 17 with
   `--jvm-arg=-Djava.security.manager=disallow`) has none, and refuses to start with the
   `-Djava.security.manager=allow` that JDK 18-23 need: the pool passes it only below JDK 24.
4. Limits (Worker.java watchdog, every JDK): CPU time per task, calibrated as max(
   `run_timeout_floor_s`, `run_timeout_multiple` x the reference's CPU time), at most
   `run_timeout_s`, which is also the wall-clock limit; `memory_mb` of allocation per program
   (`memory_limit`, counted per thread, whatever the neighbours do); output capped at
   `output_limit_bytes`; a fresh ClassLoader per program (no static state survives) that cannot
   see the worker's classes. A program over a limit is stopped cooperatively, on every JDK: a
   check of a per-program flag at every method entry and backward branch of the classes it loads
   (Stopper.java through java.lang.classfile on JDK 24+, StopperAsm.java through java.base's ASM
   below). Where that does not end it within 1 s (a loop inside JDK code such as a regex,
   `stop_threads=false`, or a JDK that cannot build the Stopper: the pool warns) the worker
   replies with its verdict, then exits; the pool restarts it and re-runs only the neighbours it
   held.
5. Process lifetime: `setpriv --pdeathsig KILL` and bwrap's --die-with-parent; workers exit on
   stdin EOF and get a minimal environment (PATH, locale, JAVA_HOME: never the trainer's tokens).
   Python runs get rlimits (address space, CPU seconds, file size), their own session, and what a
   run leaves behind is killed when it ends (rlvr/verifier/python.py).
Names come from the prompt ("prompt" below): the solution unit's file name and the imports the tests'
unit gets are read from the task's prompt, never from the completion.

What stops what (tests/test_sandbox.py runs the hostile set in all four modes on JDK 17, and with
and without bwrap on a real JDK 24+ where one is installed, e.g. /usr/lib/jvm/temurin-25-jdk-amd64):
| attack                                   | JDK 17-23, bwrap | JDK 17-23, none | JDK 24+, bwrap | JDK 24+, none |
| exit/halt, directly, by reflection, by   | 1, 3             | 1, 3            | 1              | 1             |
|   MethodHandle or method reference       |                  |                 |                |               |
| exec / ProcessBuilder (also string-built)| 1, 2, 3          | 1, 3            | 1, 2           | 1             |
| files outside scratch: write/read/delete | 1, 2 (read: 1,3) | 1, 3            | 1, 2 (read: 1) | 1             |
| sockets                                  | 1, 2, 3          | 1, 3            | 1, 2           | 1             |
| environment, Unsafe                      | 1, 3             | 1, 3            | 1              | 1             |
| system properties (Integer.getInteger..) | 1                | 1               | 1              | 1             |
| threads, executors, parallel streams,    | 1, 3             | 1, 3            | 1              | 1             |
|   fork/join tasks, parallel bulk ops     |                  |                 |                |               |
| infinite loop, memory bomb               | 4 (check)        | 4 (check)       | 4 (check)      | 4 (check)     |
| JDK-global defaults (Locale.setDefault,  | 1, 3             | 1, 3            | 1              | 1             |
|   also through a subclass: TZ.setDefault)|                  |                 |                |               |
| code run after its verdict (finalize())  | 1                | 1               | 1              | 1             |
| a result equal to everything (equals()   | 1                | 1               | 1              | 1             |
|   in a class inside a method or a JDK    |                  |                 |                |               |
|   subclass; a record's generated one is  |                  |                 |                |               |
|   fine)                                  |                  |                 |                |               |
| code after the method for javac only     | cut              | cut             | cut            | cut           |
|   (\u007d, '\u005c'', a lone \r, text   |                  |                 |                |               |
|   blocks: the cut reads what javac reads)|                  |                 |                |               |
| re-running its own runner (the thread as | 4 (one-shot)     | 4 (one-shot)    | 4 (one-shot)   | 4 (one-shot)  |
|   a Runnable) to stop the limits         |                  |                 |                |               |
| an exception whose getMessage() loops    | 4 (its clock)    | 4 (its clock)   | 4 (its clock)  | 4 (its clock) |
| a completion renaming its unit (`public  | prompt, 1        | prompt, 1       | prompt, 1      | prompt, 1     |
|   class Main` in a comment) or adding    |                  |                 |                |               |
|   the tests' imports                     |                  |                 |                |               |
| virtual threads (Gatherers.mapConcurrent)| -                | -               | 1              | 1             |
| off-heap memory (ByteBuffer.allocateDirect)| 1              | 1               | 1              | 1             |
| System.out closed (through Closeable)    | 4 (a flush)      | 4 (a flush)     | 4 (a flush)    | 4 (a flush)   |
| memory pinned or patterns poisoned in a  | 1                | 1               | 1              | 1             |
|   JDK-wide cache (its own TemporalField, |                  |                 |                |               |
|   Chronology; a Locale from its strings) |                  |                 |                |               |

Not covered:
- A hole in the allow-list (a JDK member that reaches the above internally) is caught only by
  layer 3 (JDK <= 23) and layer 2 (when bwrap runs); with JDK 24+ and no bwrap, nothing else.
- Programs sharing a JVM share CPU and JDK-global locks: `synchronized (String.class)` or holding
  System.out's lock can slow or block a neighbour until its limit. They share System.out's character
  encoder too: a lone high surrogate a program printed last can show in the next one's error text
  (never in its verdict). Each printf gets its own Formatter, and no member that returns an object
  of a class the program may not name is allowed (the JVM's security provider was one, a Map).
- A correct program whose allocations total more than `memory_mb` (garbage included) is a
  `memory_limit`: the limit counts bytes allocated, not bytes live. The count moves only once an
  array is zeroed, and zeroing a cold (never touched or uncommitted) heap page-faults on the
  program's CPU clock: a program that allocates a few hundred MB within its first 0.1 s of CPU can
  be judged `timeout` instead (measured on JDK 17: 384 MB reached the count at 154 ms of CPU).
- javac runs in the worker, and its contexts are reused between programs (JDK-internal
  JavacTaskPool, which drops what each compilation defined): a javac bug that kept state across
  compilations could change a later program's compile verdict. One such bug is closed: an error in
  code generation (`constant string too long`, `code too large`) left the class's constants in the
  context's pool writer, so a context that reached code generation and failed is dropped. javac's
  own time is bounded by `compile_timeout_s` only: a short completion of nested try/finally blocks
  (which javac copies) costs that much and a worker restart. A task file's reference meets
  layer 1 before the worker times it; the test unit is trusted.
- The classes run are the Stopper's rewrite of what javac wrote (layer 1 scans javac's): a bug in
  the JDK's ClassFile API (24+) or its internal ASM (17-23) would show as a wrong verdict; a
  rewrite that throws leaves the program as compiled, and a timeout then restarts its worker.
- Classes the prompt declares (trusted, like the tests) may define equals(); a completion, being a
  method body, can declare classes only inside it, and those may not (javac names them `$<digit>`,
  members of a local class too). The tests' own `a.equals(b)` and `Objects.equals(a, b)` compare
  trusted copies of Lists, Sets, Maps, entries and Optionals (RlvrEquals.java): the equals a
  program's HashMap subclass inherits asked methods it overrode. Comparisons the rewrite does not
  see still ask the program's objects: JDK methods that compare inside (`contains`, `indexOf`,
  `Collections.frequency`, `Arrays.equals`, `Objects.deepEquals`), a method reference
  (`Objects::equals`), a record the tests build around the result (no HumanEval-X or MBJP test
  uses one); and where the Stopper is not built (a JDK whose class-file library differs) the tests'
  equals are as written.
- A test that only checks `abs(f(x)) > eps` is passed by any NaN (HumanEval-X Java/32 by
  `return 0.0 / 0.0;`); only the bare `return Double.NaN;` is trivial (no reward). Task data.
- A JDK class whose static initializer a program made fail (a stack overflow inside it: java.*, or
  sun.security's behind MessageDigest) fails every later use in that JVM: a program that meets it is
  re-run elsewhere and the worker restarts, so neighbours keep their verdicts at the cost of a
  restart. One that catches the error itself (`catch (Throwable t)`) keeps the verdict it chose.
  The same overflow inside the JDK's loading of a locale's data (red team: `Scanner` with
  `Locale.GERMANY`) throws nothing: that locale falls back to root data for the worker's life, so
  a later program formatting German numbers gets "1,234.5". No task formats in a locale other
  than the default (loaded at start); keeping overflows out of JDK code (a depth limit at
  program-method entry) would close both, and is not done.
- A program the Stopper cannot rewrite (a method near 64 KB has no room for its checks) is not run:
  `runtime_error`, where its loop would have cost a worker restart. Other JDK caches that could keep
  a program's objects are closed only where found (above). Naming `java.time.chrono.Chronology` at
  all is refused, so `date.getChronology().getId()` is too; a program may use the JDK's Locale
  constants (Locale.ROOT, Locale.US ...) but not make one from strings.
- Without bwrap, Python programs have no isolation at all: they run as the trainer's user, so they
  can read world-readable files, the trainer's environment and memory (/proc/<ppid>/environ, /mem),
  signal or outlive other runs (a program that overwrites its own environment in memory escapes the
  kill of what it left), and spin CPU until their timeout. Under bwrap (its own pid namespace,
  private capped /tmp, no network, no capabilities) the signals, the environment and the writes are
  gone, but a Python program still reads whatever the trainer's user can read (`--ro-bind / /`:
  task files with their references, ~/.cache) and can put it into its verdict's error text, and
  nothing caps how many processes it forks before its timeout.
- Python programs share one interpreter with their tests, so the Python verifier is not tamper-proof
  against a deliberate attack. An audit hook refuses tracers, frames, `__code__` writes and the
  garbage collector's object graph, the runner binds what it needs before the program runs, and the
  tests run in a namespace of their own with builtins copied before the program ran: a tracer, a gc
  callback or `builtins.exec = ...` no longer passes wrong answers. Still open (red team 9): a signal
  handler receives a frame (no audit event; `f_back` is not audited on 3.11) from which it reaches the
  nonce, and so does `ctypes.pythonapi.PyEval_GetFrame()` (red team 10; ctypes stays allowed, as
  numpy needs it); a program can rebind a shared module's function the tests call (`math.isclose`);
  a subclass of `collections.abc.Set` inherits an `__eq__` that asks its own `__len__` and
  `__iter__`, so one of the right size with no elements equals every set of that size; and the
  hook refuses honest `traceback.format_exc()`, asyncio and unittest.mock. The robust fix is to
  compare results outside the program's interpreter. Side channels and kernel exploits are out of
  scope. Run untrusted models' code only on machines you can throw away.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

SANDBOX_MODES = ("auto", "bwrap", "none")
# a tmpfs is host RAM that no rlimit of the program counts: /tmp and /dev/shm are capped, /dev is read-only
TMPFS_BYTES = 64 << 20
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


def bwrap_prefix(readable: tuple[str, ...] = ()) -> list[str]:
    """bwrap argv: all of / read-only, a private capped /tmp (the working dir), then `readable` paths
    that live under /tmp shown again read-only (the private /tmp would hide them).
    No capabilities: bwrap started by root keeps them all in its namespace, where `mount -o remount,rw /`
    would undo the read-only bind (red team: a Python program wrote a host file as root)."""
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/", "/", "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp",
            "--dev", "/dev", "--size", str(TMPFS_BYTES), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
            "--proc", "/proc", "--chdir", "/tmp"]
    for path in dict.fromkeys(readable):
        if Path(path).is_absolute() and Path(path).is_relative_to("/tmp") and Path(path).exists():
            argv += ["--ro-bind", path, path]
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


def wrap(argv: list[str], mode: str, readable: tuple[str, ...] = ()) -> list[str]:
    """argv run so that it dies with the calling thread and, if enabled, inside bwrap."""
    prefix = ["setpriv", "--pdeathsig", "KILL"] if shutil.which("setpriv") else []
    if use_bwrap(mode):
        prefix += bwrap_prefix(runtime_paths(*readable))
    return prefix + argv
