"""The Java sandbox in all four modes {SecurityManager on, off} x {bubblewrap, none}, and on a real JDK 24+.

    .venv/bin/python -m pytest tests/test_sandbox.py -x -q

"SM off" runs a JDK 17 worker with no SecurityManager (`-Djava.security.manager=disallow`) and no
in-place stop (`stop_threads=false`: a timed-out program's worker is restarted), the weakest layers
any JDK gives. "jdk24+" runs the default config on the newest JDK >= 24 on this machine ($JAVA_HOME
or /usr/lib/jvm/*), first on the PATH (no SecurityManager; timed-out programs stopped by Stopper.java),
and is skipped where there is none. One batch per mode:
every hostile program beside well-behaved neighbours, so a hostile program's damage to its
neighbours shows as a wrong neighbour verdict. HumanEval-X / MBJP canonical solutions: a sample
per mode here (the full files run in tests/test_verifier.py in the default mode).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from test_verifier import PROMPT, TESTS, pids_after_stopping  # the same Calc task; its own id keeps its verdicts apart
from rlvr.tasks import Task, load_tasks
from rlvr.verifier import VerifierConfig, make_pool, sandbox
from rlvr.verifier.java import java_version, jdk_feature

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "benchmarks").is_dir()),
              ROOT.parent / "shared")  # next to the checkout, or next to a worktree's parent
HUMANEVAL = SHARED / "benchmarks" / "humaneval-x-java" / "humaneval_java.jsonl"
MBJP = SHARED / "benchmarks" / "mbjp" / "mbjp_release_v1.2.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"
RUN_TIMEOUT_S = 2.0

TASK = Task(id="calc_add_sandbox", prompt=PROMPT, tests=TESTS, reference="\n        return a + b;\n    }\n}")


def body(code: str) -> str:
    return f"\n        {code}\n        return a + b;\n    }}\n}}\n"


def attempt(code: str) -> str:
    """`code` inside a try that turns any failure into a pass-looking return: only the sandbox stops it."""
    return body(f"try {{ {code} }} catch (Throwable t) {{ }}")


def hostile_programs(tmp: Path, port: int) -> dict[str, tuple[str, str]]:
    """name -> (completion, expected status)."""
    written, spawned, victim = tmp / "written", tmp / "spawned", tmp / "victim"
    lookup = "java.lang.invoke.MethodHandles.lookup()"
    exit_type = "java.lang.invoke.MethodType.methodType(void.class, int.class)"
    forbidden = "runtime_error"
    return {
        "exit": (body("System.exit(0);"), forbidden),
        "halt": (body("Runtime.getRuntime().halt(0);"), forbidden),
        "exit_by_reflection": (attempt('Class.forName("java.lang.System").getMethod("exit", int.class).invoke(null, 0);'),
                               forbidden),
        "exit_by_method_handle": (attempt(f'{lookup}.findStatic(System.class, "exit", {exit_type}).invoke(0);'), forbidden),
        "exit_by_method_reference": (body("java.util.function.IntConsumer f = System::exit; f.accept(0);"), forbidden),
        "exec_by_string_built_class_name": (attempt(
            'Class<?> r = Class.forName("java.lang.Run" + "time"); Object rt = r.getMethod("getRuntime").invoke(null);'
            f' r.getMethod("exec", String[].class).invoke(rt, (Object) new String[] {{"touch", "{spawned}"}});'), forbidden),
        "process_builder": (attempt(f'new ProcessBuilder("touch", "{spawned}").start().waitFor();'), forbidden),
        "getenv": (body('if (System.getenv("PATH") == null) throw new RuntimeException();'), forbidden),
        "getenv_by_reflection": (attempt('Class.forName("java.lang.Sys" + "tem").getMethod("getenv").invoke(null);'),
                                 forbidden),
        "property": (body('if (System.getProperty("user.home") == null) throw new RuntimeException();'), forbidden),
        "file_write": (attempt(f'new java.io.FileOutputStream("{written}").write(1);'), forbidden),
        "file_write_by_reflection": (attempt(
            f'Class.forName("java.io.FileOutputStream").getConstructor(String.class).newInstance("{written}");'), forbidden),
        "file_read": (attempt('java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname"));'), forbidden),
        "file_delete": (attempt(f'new java.io.File("{victim}").delete();'), forbidden),
        "socket": (attempt(f'new java.net.Socket("127.0.0.1", {port}).close();'), forbidden),
        "socket_by_reflection": (attempt(
            f'Class.forName("java.net.Socket").getConstructor(String.class, int.class).newInstance("127.0.0.1", {port});'),
            forbidden),
        "unsafe": (attempt('Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");'), forbidden),
        "thread_bomb": (attempt("for (int i = 0; i < 100_000; i++) new Thread(() -> { while (true) { } }).start();"),
                        forbidden),
        "executor": (attempt("java.util.concurrent.Executors.newFixedThreadPool(4).submit(() -> { while (true) { } });"),
                     forbidden),
        "parallel_stream_loop": (body("java.util.stream.IntStream.range(0, 8).parallel().forEach(i -> { while (true) { } });"),
                                 forbidden),
        "global_default": (body('java.util.Locale.setDefault(java.util.Locale.GERMANY);'), forbidden),
        # the worker describes a failure by calling the program's own methods: on the program's clock, never the worker's
        "message_loops": (body("if (a < 100) throw new RuntimeException() { public String getMessage() { while (true) { } } };"),
                          "timeout"),
        "message_throws": (body("if (a < 100) throw new RuntimeException() { public String getMessage() { throw new "
                                "IllegalStateException(); } };"), "runtime_error"),
        "finalizer_loop": (body("new Object() { protected void finalize() { while (true) { } } };"), forbidden),
        "infinite_loop": (body("if (a < 100) { while (true) { } }"), "timeout"),
        "stubborn_loop": (body("if (a < 100) { while (true) { try { while (true) { } } catch (Throwable t) { } } }"), "timeout"),
        "memory_bomb": (body("long[] hog = new long[1 << 26]; while (hog.length > 0) hog[a & 7]++;"), "memory_limit"),
        # zeroing a cold heap runs on the program's CPU clock: on a loaded machine the hoard can reach its CPU limit
        # before its allocation limit (sandbox.py, "Not covered"); either way it is stopped, never a pass
        "memory_hoard": (body("List<long[]> hog = new ArrayList<>(); while (a < 100) hog.add(new long[1 << 23]);"),
                         ("memory_limit", "timeout")),
        "off_heap_memory": (body("java.nio.ByteBuffer.allocateDirect(16 << 20);"), forbidden),
        # kept by a JDK-wide cache after its verdict, with whatever it holds (red team: 80 MB a program, until the heap
        # was full for every later program)
        "cached_temporal_field": (body(
            "class F implements java.time.temporal.TemporalField { final long[] keep = new long[1 << 20];"
            " public java.time.temporal.TemporalUnit getBaseUnit() { return java.time.temporal.ChronoUnit.DAYS; }"
            " public java.time.temporal.TemporalUnit getRangeUnit() { return java.time.temporal.ChronoUnit.FOREVER; }"
            " public java.time.temporal.ValueRange range() { return java.time.temporal.ValueRange.of(0, 10); }"
            " public boolean isDateBased() { return true; } public boolean isTimeBased() { return false; }"
            " public boolean isSupportedBy(java.time.temporal.TemporalAccessor t) { return true; }"
            " public java.time.temporal.ValueRange rangeRefinedBy(java.time.temporal.TemporalAccessor t) { return range(); }"
            " public long getFrom(java.time.temporal.TemporalAccessor t) { return 1; }"
            " public <R extends java.time.temporal.Temporal> R adjustInto(R t, long v) { return t; } }"
            " new java.time.format.DateTimeFormatterBuilder().appendText(new F()).toFormatter()"
            ".format(java.time.LocalDate.of(2020, 1, 1));"), forbidden),
        # a program's own Chronology filled the JDK's localized-pattern cache under "ISO" (red team: every later
        # program formatting a short US date got "1/2/2020 A"); the interface may not be named at all
        "locale_from_strings": (body('new java.util.Locale("en", "US", "x".repeat(1000));'), forbidden),  # kept forever
        "chronology": (body("Object c = (java.time.chrono.Chronology) (Object) java.time.chrono.IsoChronology.INSTANCE;"),
                       forbidden),
        # closed through an interface the scan allows: it must not silence the programs after it (checked below)
        "close_stdout": (body("try { ((java.io.Closeable) System.out).close(); } catch (java.io.IOException e) { }"), "pass"),
    }


MODES = [("sm", "bwrap"), ("sm", "none"), ("no_sm", "bwrap"), ("no_sm", "none"),
         ("jdk24+", "bwrap"), ("jdk24+", "none")]


def mode_config(security: str, box: str) -> VerifierConfig:
    emulated = security == "no_sm"
    return VerifierConfig(workers=1, threads_per_worker=4, run_timeout_s=RUN_TIMEOUT_S, sandbox=box,
                          jvm_args=["-Djava.security.manager=disallow"] if emulated else [], stop_threads=not emulated)


def new_jdk_bin(at_least: int = 24) -> Path | None:
    """bin/ of the newest JDK (java + javac) of release >= at_least in $JAVA_HOME or /usr/lib/jvm/*, or None."""
    found = []
    for home in {os.environ.get("JAVA_HOME", ""), *map(str, Path("/usr/lib/jvm").glob("*"))} - {""}:
        java, javac = Path(home, "bin", "java"), Path(home, "bin", "javac")
        if java.is_file() and javac.is_file():
            version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
            found.append((jdk_feature(version), java.parent))
    newest = max(found, default=(0, None))
    return newest[1] if newest[0] >= at_least else None


@pytest.fixture(scope="module", params=MODES, ids=[f"{s}-{b}" for s, b in MODES])
def mode_pool(request):
    if subprocess.run(["which", "javac"], capture_output=True).returncode != 0:
        pytest.skip("javac not installed")
    security, box = request.param
    if box == "bwrap" and not sandbox.bwrap_works():
        pytest.skip("bubblewrap cannot run here")
    with pytest.MonkeyPatch.context() as env:
        if security == "jdk24+":
            jdk = new_jdk_bin()
            if jdk is None:
                pytest.skip("no JDK 24+ here ($JAVA_HOME or /usr/lib/jvm/*)")
            env.setenv("PATH", f"{jdk}{os.pathsep}{os.environ['PATH']}")
        with make_pool(mode_config(security, box)) as pool:
            yield request.param, pool


def test_hostile_programs_are_stopped_and_neighbours_keep_their_verdicts(mode_pool, tmp_path):
    (security, box), pool = mode_pool
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    hostile = hostile_programs(tmp_path, server.getsockname()[1])
    good = [body(f"// neighbour {uuid.uuid4().hex}") for _ in range(6)]
    wrong = [f"\n        return a * b; // {uuid.uuid4().hex}\n    }}\n}}\n" for _ in range(3)]
    names = list(hostile)
    completions = [c for c, _ in hostile.values()]
    assert len(completions) <= 6 * len(good)
    batch = [x for pair in zip(completions, good * 6) for x in pair] + wrong  # neighbours interleaved
    try:
        verdicts = pool.verify([TASK] * len(batch), batch)
        with pytest.raises(socket.timeout):
            server.accept()
    finally:
        server.close()
    by_completion = dict(zip(batch, verdicts))
    statuses = {name: by_completion[c].status for name, c in zip(names, completions)}
    expected = {name: status for name, (_, status) in hostile.items()}
    statuses = {n: expected[n] if isinstance(expected[n], tuple) and s in expected[n] else s for n, s in statuses.items()}
    assert statuses == expected, {n: (s, by_completion[hostile[n][0]].error) for n, s in statuses.items()
                                  if s != expected[n]}
    assert all(by_completion[c].status == "pass" for c in good), [by_completion[c] for c in good]
    assert all(by_completion[c].status == "test_failure" for c in wrong)
    compile_s = max(by_completion[c].seconds for c in good)  # what compiling costs on this machine now
    slow = {n: by_completion[hostile[n][0]].seconds for n in names
            if by_completion[hostile[n][0]].seconds > RUN_TIMEOUT_S + 1.0 + compile_s}
    assert not slow, slow
    assert not (tmp_path / "written").exists() and not (tmp_path / "spawned").exists()
    assert victim.read_text() == "keep me"
    assert pool.verify([TASK], [body(f"// after {uuid.uuid4().hex}")])[0].status == "pass"  # the pool survived
    printed = pool.verify([TASK], [f'\n        System.out.print("still heard");\n        return a * b; // {uuid.uuid4().hex}\n    }}\n}}\n'])
    assert "| output: still heard" in printed[0].error


def test_a_completion_cannot_rename_its_unit_or_add_the_tests_imports(mode_pool):
    """Unit names and the tests' imports come from the prompt alone. A comment naming `public class Main` once made
    the program's unit the tests' one, so the scan checked none of its classes (red team, JDK 25: an escape)."""
    _, pool = mode_pool
    no_reference = Task(id="calc_no_reference", prompt=PROMPT.replace("public class Calc", "class Calc"), tests=TESTS)
    renamed = body('/*\npublic class Main\n        */ if (System.getenv("PATH") == null) throw new RuntimeException();')
    imported = body("/*\nimport java.lang.Calc;\n        */ // a correct body")
    verdicts = pool.verify([no_reference] * 2, [renamed, imported])
    assert [(v.status, v.error) for v in verdicts] == [("runtime_error", "forbidden API: java.lang.System.getenv"),
                                                       ("pass", "")]


def test_virtual_threads_are_out_of_reach(mode_pool):
    """JDK 24+: Gatherers.mapConcurrent ran virtual threads, outside the program's group: no CPU or memory
    limit, spinning after the verdict, a worker hung on a monitor (red team)."""
    (security, _), pool = mode_pool
    if security != "jdk24+":
        pytest.skip("Gatherers is JDK 24+")
    spin = body("java.util.stream.Stream.of(1, 2).gather(java.util.stream.Gatherers.mapConcurrent(2, i -> "
                "{ while (i > 0) { } return i; })).iterator().next();")
    verdict = pool.verify([TASK], [spin])[0]
    assert (verdict.status, verdict.error) == ("runtime_error", "forbidden API: java.util.stream.Gatherers.mapConcurrent")


def settle(pool) -> None:
    """Workers up, and none still stopping an earlier test's program (for <= 1 s, then maybe restarting)."""
    time.sleep(1.2)
    pool.verify([TASK], [body(f"// {uuid.uuid4().hex}")])


def test_a_jdk_class_left_half_initialized_costs_no_later_program(mode_pool):
    """A program that overflows the stack and calls MessageDigest at each level on the way back can end inside a
    JDK-internal class's static initializer (JDK 25: sun.security.util.CryptoAlgorithmConstraints), which then fails
    every later use in that JVM: MessageDigest, UUID.randomUUID (red team). Whoever meets it is re-run on a fresh worker."""
    _, pool = mode_pool
    overflow = body("""class P { static int max; static boolean done;
            static void go(int d) {
                if (d > max) max = d;
                try { go(d + 1); } catch (StackOverflowError e) { }
                if (!done && max - d >= 2) {
                    try { java.security.MessageDigest.getInstance("MD5"); done = true; }
                    catch (StackOverflowError e) { } catch (Throwable t) { done = true; } } } }
        java.security.MessageDigest.isEqual(new byte[0], new byte[0]);  // MessageDigest's own initializer first
        P.go(0); // """ + uuid.uuid4().hex)
    assert pool.verify([TASK], [overflow])[0].status in ("pass", "timeout")
    later = [body(f"java.util.UUID.randomUUID(); // {uuid.uuid4().hex}"),
             body('try { java.security.MessageDigest.getInstance("SHA-256"); } catch (java.security.'
                  f'NoSuchAlgorithmException e) {{ throw new RuntimeException(e); }} // {uuid.uuid4().hex}')]
    assert [(v.status, v.error) for v in pool.verify([TASK] * 2, later)] == [("pass", "")] * 2


def test_a_program_cannot_break_or_block_another_ones_output(mode_pool):
    """Every program of a worker printed through one PrintStream: a Formattable argument closed its one Formatter,
    and every later printf in that worker threw (red team 10). Each program now prints through a PrintStream of its
    own; holding System.out's lock stalls no neighbour either."""
    _, pool = mode_pool
    closer = body("class F implements java.util.Formattable { public void formatTo(java.util.Formatter f, int flags, "
                  f'int width, int precision) {{ f.close(); }} }}\n        System.out.printf("%s", new F()); // {uuid.uuid4().hex}')
    pool.verify([TASK], [closer])
    holder = body(f"synchronized (System.out) {{ while (a == a) {{ }} }} // {uuid.uuid4().hex}")
    printers = [body("try { Thread.sleep(300); } catch (InterruptedException e) { } "
                     f'System.out.printf("%d%n", a); System.err.format("%s", b); // {uuid.uuid4().hex}') for _ in range(3)]
    verdicts = pool.verify([TASK] * 4, [holder, *printers])
    assert verdicts[0].status == "timeout"
    assert [(v.status, v.error) for v in verdicts[1:]] == [("pass", "")] * 3


FREQ = Task(id="freq_count", prompt="import java.util.*;\n\nclass Freq {\n    public static HashMap<Integer, Integer> "
            "freqCount(List<Integer> xs) {", tests="""class Main {
    static boolean compare(Object a, Object b) { return a == null ? b == null : a.equals(b); }  // MBJP's
    public static void main(String[] args) throws Exception {
        HashMap<Integer, Integer> x = Freq.freqCount(Arrays.asList(1, 1, 2, 3));
        if (!compare(x, new HashMap<>(Map.of(1, 2, 2, 1, 3, 1)))) throw new Exception("x = " + x);
        if (!Objects.equals(Freq.freqCount(Arrays.asList(5)), Map.of(5, 1))) throw new Exception("one");
    }
}""", reference="\n        HashMap<Integer, Integer> m = new HashMap<>();\n        for (int x : xs) m.merge(x, 1, Integer::sum);\n"
                "        return m;\n    }\n}")
DISTINCT = Task(id="distinct", prompt="import java.util.*;\n\nclass Distinct {\n    public static Set<Integer> distinct(List<Integer> xs) {",
                tests="""class Main {
    public static void main(String[] args) throws Exception {
        if (!Distinct.distinct(Arrays.asList(4, 4)).equals(new HashSet<>(List.of(4)))) throw new Exception("4");
        if (!Objects.equals(Distinct.distinct(List.of(9)), Set.of(9))) throw new Exception("9");
    }
}""", reference="\n        return new HashSet<>(xs);\n    }\n}")

# a class of the task's own keeps its equals, even where it is a Map.Entry (an edge equal to its reverse)
EDGE = Task(id="edge_flip", prompt="import java.util.*;\n\nrecord Edge(Integer a, Integer b) implements Map.Entry<Integer, "
            "Integer> {\n    public Integer getKey() { return a; }\n    public Integer getValue() { return b; }\n"
            "    public Integer setValue(Integer v) { throw new UnsupportedOperationException(); }\n    public boolean "
            "equals(Object o) { return o instanceof Edge e && (e.a.equals(a) && e.b.equals(b) || e.a.equals(b) && "
            "e.b.equals(a)); }\n    public int hashCode() { return a.hashCode() + b.hashCode(); }\n}\n\nclass Graph {\n"
            "    static Edge flip(Edge e) {",
            tests="class Main {\n    public static void main(String[] args) {\n        if (!Graph.flip(new Edge(1, 3))"
                  ".equals(new Edge(1, 3))) throw new AssertionError();\n    }\n}",
            reference="\n        return new Edge(e.b(), e.a());\n    }\n}")


@pytest.mark.parametrize("task,code,status", [
    (FREQ, "HashMap<Integer, Integer> m = new HashMap<>(); for (int x : xs) m.merge(x, 1, Integer::sum); return m;", "pass"),
    (FREQ, "return new HashMap<Integer, Integer>() {{ for (int x : xs) merge(x, 1, Integer::sum); }};", "pass"),
    (FREQ, "HashMap<Integer, Integer> m = new HashMap<>(); for (int x : xs) m.put(x, 1); return m;", "test_failure"),
    # the equals a HashMap subclass inherits asks size() and entrySet(): right size, no entries (red team 10)
    (FREQ, "class M<K, V> extends HashMap<K, V> { final int n; M(int n) { this.n = n; } public int size() { return n; } "
           "public Set<Map.Entry<K, V>> entrySet() { return Collections.emptySet(); } } return new M<>(new HashSet<>(xs).size());",
     "test_failure"),
    (DISTINCT, "return new TreeSet<>(xs);", "pass"),
    (DISTINCT, "Set<Integer> s = new TreeSet<>((p, q) -> 0); s.add(0); return s;", "test_failure"),  # contains asks it
    (EDGE, "return new Edge(e.b(), e.a());", "pass"),
    (EDGE, "return new Edge(e.a(), e.a());", "test_failure"),
], ids=["counted", "double_brace", "wrong", "size_only_map", "tree_set", "comparator_calls_all_equal", "task_equals",
        "task_equals_wrong"])
def test_the_tests_equality_is_decided_on_trusted_copies(mode_pool, task, code, status):
    """A collection the program returns decided the tests' `result.equals(expected)` by methods the program wrote:
    14 MBJP map/set tasks passed without computing a value (red team 10). The tests' equals now compare copies."""
    _, pool = mode_pool
    verdict = pool.verify([task], [f"\n        {code} // {uuid.uuid4().hex}\n    }}\n}}\n"])[0]
    assert verdict.status == status, verdict


def test_a_program_gets_no_object_of_a_class_it_may_not_name(mode_pool):
    """MessageDigest.getProvider handed a program the JVM's one SUN provider, a Map it could clear: every later
    MessageDigest in that worker threw NoSuchAlgorithmException (red team 11; the SecurityManager alone refused it)."""
    _, pool = mode_pool
    clear = body("try { java.util.Map<Object, Object> p = java.security.MessageDigest.getInstance(\"MD5\").getProvider(); "
                 f"p.clear(); }} catch (Exception e) {{ }} // {uuid.uuid4().hex}")
    verdict = pool.verify([TASK], [clear])[0]
    assert (verdict.status, verdict.error) == ("runtime_error", "forbidden API: java.security.MessageDigest.getProvider")
    md5 = body('try { java.security.MessageDigest.getInstance("MD5"); } catch (java.security.NoSuchAlgorithmException e) '
               f'{{ throw new RuntimeException(e); }} // {uuid.uuid4().hex}')
    assert [(v.status, v.error) for v in pool.verify([TASK] * 2, [md5, md5 + " "])] == [("pass", "")] * 2


def test_a_reference_that_exits_costs_no_worker(mode_pool):
    """A task file's reference meets the allow-list before it is timed: with no SecurityManager its
    System.exit killed the worker at every restart, and its neighbours ended as sandbox_error."""
    _, pool = mode_pool
    exiting = Task(id=f"calc_exit_{uuid.uuid4().hex}", prompt=PROMPT, tests=TESTS, reference=body("System.exit(0);"))
    settle(pool)
    before = set(pool.worker_pids())
    completions = [body(f"// {uuid.uuid4().hex}") for _ in range(2)]
    verdicts = pool.verify([exiting, TASK], completions)
    assert [v.status for v in verdicts] == ["pass", "pass"], verdicts
    assert pool.verify([exiting], [exiting.reference])[0].error == "forbidden API: java.lang.System.exit"
    assert set(pool.worker_pids()) == before


def test_a_method_too_large_to_be_stopped_is_not_run(mode_pool):
    """Near 64 KB a method has no room for the Stopper's checks, so its loop could end only by a worker
    restart, each time (red team); with stop_threads=false ("no_sm") nothing is instrumented, as before."""
    (security, _), pool = mode_pool
    loops = "".join(f"while (s > a + {i % 50}) s -= 7;\n" for i in range(4600))
    huge = f"\n        // {uuid.uuid4().hex}\n        int s = b;\n{loops}        for (;;) {{ s++; }}\n    }}\n}}\n"
    settle(pool)
    before = set(pool.worker_pids())
    verdict = pool.verify([TASK], [huge])[0]
    if security == "no_sm":
        assert verdict.status == "timeout"
    else:
        assert verdict.status == "runtime_error" and "64 KB" in verdict.error, verdict
        assert set(pool.worker_pids()) == before


def test_a_timeout_keeps_its_worker_where_the_jdk_can_stop_the_program(mode_pool):
    """Every JDK stops a looping program cooperatively (Stopper: a check at every back-edge, met again after
    a catch); with stop_threads=false ("no_sm") the worker restarts instead."""
    (security, _), pool = mode_pool
    loops = {
        "spin": "while (a < 100) { }",
        "do_while": "do { a ^= 0; } while (a < 100);",  # its one backward jump is conditional
        "sleep_and_swallow": "while (a < 100) { try { Thread.sleep(1000); } catch (InterruptedException e) { } }",
        "recursion": "class F { long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } } a = (int) new F().fib(100);",
        "catch_and_loop": "while (a < 100) { try { while (a < 100) { } } catch (Throwable t) { } }",
    }
    stopped = set() if security == "no_sm" else set(loops)
    settle(pool)
    for name, code in loops.items():
        before = set(pool.worker_pids())
        verdict = pool.verify([TASK], [body(f"{code} // {uuid.uuid4().hex}")])[0]
        assert verdict.status == "timeout", (name, verdict)
        assert pool.verify([TASK], [body(f"// {uuid.uuid4().hex}")])[0].status == "pass"
        after = pids_after_stopping(pool, before)
        assert (after == before) == (name in stopped), (name, before, after)


def test_each_mode_runs_the_jdk_it_names(mode_pool):
    """The workers run the `java` first on the PATH when the pool started: in jdk24+, the new JDK's."""
    (security, _), pool = mode_pool
    pool.verify([TASK], [body(f"// {uuid.uuid4().hex}")])
    java = shutil.which("java")
    if security == "jdk24+":
        assert java == str(new_jdk_bin() / "java")
    argvs = [Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in pool.worker_pids()]
    assert argvs and all(java.encode() in argv for argv in argvs), (java, argvs)
    # the READY line says whether Guard.java's SecurityManager is in: only "sm" mode on a JDK below 24
    banners = [slot.jvm.banner for slot in pool._backends["java"]._slots if slot.jvm is not None]
    sm = security == "sm" and jdk_feature(java_version()) < 24
    assert banners and all(b.startswith(f"sm={int(sm)}") for b in banners), banners


def test_canonical_solutions_pass(mode_pool):
    """The fixtures in full, and a sample of HumanEval-X and MBJP, in every mode."""
    _, pool = mode_pool
    tasks = [t for name in ("humaneval_x_java_6.jsonl", "mbjp_3.jsonl") for t in load_tasks(FIXTURES / name)]
    for path, step in ((HUMANEVAL, 16), (MBJP, 97)):
        if path.is_file():
            tasks += [t for t in load_tasks(path) if t.reference][::step]
    verdicts = pool.verify(tasks, [t.reference for t in tasks])
    assert not [(t.id, v.status, v.error) for t, v in zip(tasks, verdicts) if v.status != "pass"]


def test_bwrap_hides_the_network_and_the_host_filesystem_from_python_too(tmp_path):
    """The OS layer on its own: a Python program under bwrap cannot write outside its scratch dir."""
    if not sandbox.bwrap_works():
        pytest.skip("bubblewrap cannot run here")
    target = tmp_path / "escaped"
    python_task = Task(id="py_escape", prompt="def f():\n", tests="assert f() == 1\n", language="python")
    code = f"    open({str(target)!r}, 'w').write('x')\n    return 1\n"
    with make_pool(VerifierConfig(workers=1, sandbox="bwrap")) as pool:
        v = pool.verify([python_task], [code])[0]
    assert v.status != "sandbox_error" and not target.exists(), v  # it wrote into its private /tmp at most


def test_an_error_in_code_generation_costs_no_later_program(mode_pool):
    """javac's code generator keeps a failed class's constants in the reused context's pool writer: one
    `constant string too long` made every later compilation on that context fail (red team). A context that
    failed in code generation is dropped; one per context, then programs on every context."""
    _, pool = mode_pool
    folded = ('final String p = "0123456789abcdef0123456789abcdef"; final String q = p+p+p+p+p+p+p+p; '
              "final String r = q+q+q+q+q+q+q+q; final String s = " + "+".join(["r"] * 33) + "; if (s.length() < 0) return 0;")
    bombs = pool.verify([TASK] * 4, [body(f"{folded} // {uuid.uuid4().hex}") for _ in range(4)])  # threads_per_worker
    assert all("constant string too long" in v.error for v in bombs), bombs
    later = pool.verify([TASK] * 12, [body(f"// {uuid.uuid4().hex}") for _ in range(12)])
    assert [(v.status, v.error) for v in later] == [("pass", "")] * 12


def test_a_program_cannot_run_its_runner_again(mode_pool):
    """The program thread's Runnable is the worker's own run: `(Runnable) Thread.currentThread()` re-entered it,
    and the nested run's end stopped the limits counting, so a hoard passed; holding the thread's lock then hung
    the worker in join (red team). The run is one-shot and the worker waits on a latch."""
    _, pool = mode_pool
    rerun = "class G { static int n; } if (G.n++ == 0) { Runnable r = Thread.currentThread(); r.run(); "
    hoard = body(rerun + "List<long[]> h = new ArrayList<>(); while (a < 100) h.add(new long[1 << 20]); }")
    hang = body("class G { static int n; } if (G.n++ == 0) { Thread t = Thread.currentThread(); synchronized (t) "
                "{ Runnable r = t; r.run(); while (G.n != 0) { G.n |= 1; } } }")
    settle(pool)
    started = time.monotonic()
    verdicts = pool.verify([TASK] * 2, [f"{hoard} // {uuid.uuid4().hex}", f"{hang} // {uuid.uuid4().hex}"])
    assert [v.status for v in verdicts] == ["memory_limit", "timeout"] or verdicts[0].status == "timeout", verdicts
    assert verdicts[1].status == "timeout" and time.monotonic() - started < 3 * RUN_TIMEOUT_S + 5, verdicts


def test_python_under_bwrap_has_no_capabilities_and_capped_scratch(tmp_path):
    """bwrap started by root kept every capability: `mount -o remount,rw /` then wrote host files (red team).
    Its /tmp is a tmpfs, host RAM that no rlimit counts: capped."""
    if not sandbox.bwrap_works():
        pytest.skip("bubblewrap cannot run here")
    target = tmp_path / "escaped"
    code = (f"    import os\n    os.system('mount -o remount,rw,bind / 2>/dev/null')\n"
            f"    try:\n        open({str(target)!r}, 'w').write('x')\n    except OSError:\n        pass\n"
            "    caps = [l for l in open('/proc/self/status') if l.startswith('CapEff')][0].split()[1]\n"
            "    n = 0\n    try:\n        with open('/tmp/fill', 'wb') as f:\n"
            "            for _ in range(16):\n                f.write(b'x' * (8 << 20)); f.flush(); n += 8\n"
            "    except OSError:\n        pass\n    return int(caps, 16) * 1000 + n\n")
    task = Task(id="py_caps", prompt="def f():\n", tests="assert f() <= 64, f()\n", language="python")
    with make_pool(VerifierConfig(workers=1, sandbox="bwrap")) as pool:
        v = pool.verify([task], [code])[0]
    assert v.status == "pass" and not target.exists(), v


def test_python_tests_cannot_be_rewritten_from_a_tracer_or_a_gc_callback():
    """A completion's tracer swapped the tests' functions for no-ops as the module ran, and a gc callback rebound
    their names: `pass` with a wrong answer (red team). An audit hook keeps tracers, frames and code replacement
    out of reach; the tests run in a namespace of their own."""
    tests = "def check(candidate):\n    assert candidate(1, 2) == 3\n\ndef test_check():\n    check(add)\n\ntest_check()\n"
    task = Task(id="py_add_trace", prompt="def add(a, b):\n", tests=tests, language="python", stop=("\ndef",))
    tracer = ("import sys\ndef _t(frame, event, arg):\n    for v in list(frame.f_globals.values()):\n"
              "        if getattr(v, '__code__', None) is not None and v.__code__.co_name == 'check':\n"
              "            v.__code__ = (lambda *a: None).__code__\n    return None\nsys.settrace(_t)\n")
    hack = "    return 42\nexec(" + repr(tracer) + ")\n"
    rebind = ("    return 42\nimport gc\n_g = globals()\ngc.set_threshold(1, 1, 1)\ngc.callbacks.append(lambda phase, info: "
              "[_g.__setitem__(k, lambda *a: None) for k in ('check', 'test_check') if k in _g])\n")
    honest = "    import collections, dataclasses, logging, warnings\n    return collections.namedtuple('P', 'x')(a).x + b\n"
    with make_pool(VerifierConfig(workers=1, sandbox="none")) as pool:
        swap = "    return 42\n__import__('builtins').exec = lambda *a, **k: None\n"  # the runner's exec of the tests
        verdicts = pool.verify([task] * 4, [hack, rebind, swap, honest])
    assert [(v.status, v.error) for v in verdicts] == [("runtime_error", "RuntimeError: rlvr: forbidden: sys.settrace ()"),
                                                       ("test_failure", "AssertionError"),
                                                       ("test_failure", "AssertionError"), ("pass", "")], verdicts
