"""Verifier pool: one property per test, real javac/java, one shared pool.

    .venv/bin/python -m pytest tests/test_verifier.py -x -q
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from rlvr.tasks import Task, load_tasks
from rlvr.verifier import REGISTRY, Verdict, VerifierConfig, make_pool
from rlvr.verifier import java as java_backend
from rlvr.verifier.java import ASM_EXPORTS, assemble_tests, jdk_feature, jvm_argv, solution_file_name
from rlvr.verifier.verdict import Outcome, reward

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "benchmarks").is_dir()),
              ROOT.parent / "shared")  # next to the checkout, or next to a worktree's parent
HUMANEVAL = SHARED / "benchmarks" / "humaneval-x-java" / "humaneval_java.jsonl"
MBJP = SHARED / "benchmarks" / "mbjp" / "mbjp_release_v1.2.jsonl"
RUN_TIMEOUT_S = 2.0
CFG = VerifierConfig(workers=1, threads_per_worker=2, run_timeout_s=RUN_TIMEOUT_S, compile_timeout_s=20.0)

PROMPT = "import java.util.*;\n\npublic class Calc {\n    public static int add(int a, int b) {"
TESTS = """public class Main {
    static void testSmall() { if (Calc.add(1, 2) != 3) throw new AssertionError("add(1, 2)"); }
    static void testNegative() { if (Calc.add(-5, 2) != -3) throw new AssertionError("add(-5, 2)"); }
    public static void main(String[] args) { testSmall(); testNegative(); }
}"""
TASK = Task(id="calc_add", prompt=PROMPT, tests=TESTS, reference="\n        return a + b;\n    }\n}")


def body(code: str, after: str = "") -> str:
    """A completion: method body `code`, then extra members `after`, then the class's brace."""
    return f"\n        {code}\n    }}\n{after}}}\n"


GOOD = body("return a + b;")


def pids_after_stopping(pool, before: set[int]) -> set[int]:
    """The live worker pids once a timed-out program's worker has stopped it or given up: stopAll runs
    after the verdict is sent, for up to 1 s, so a restart can come after the next verdict (seen in CI)."""
    deadline = time.monotonic() + 1.2
    while set(pool.worker_pids()) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    return set(pool.worker_pids())


def fresh_good() -> str:
    """A correct program the cache has not seen, so it really runs."""
    return body(f"return a + b; // {uuid.uuid4().hex}")

HALF_WRONG = body("return Math.abs(a) + b;")  # passes testSmall, fails testNegative
EXIT_BY_REFLECTION = body('try { Class.forName("java.lang.System").getMethod("exit", int.class).invoke(null, 0); }'
                          ' catch (ReflectiveOperationException e) { throw new RuntimeException(e); }\n return a + b;')
MEMORY_BOMB = body("long[][] hog = new long[1 << 10][]; for (int i = 0; i < hog.length; i++) hog[i] = new long[1 << 24];"
                   " return hog.length;")  # 128 MB a step: exhausts the heap well before the timeout
# no reference, so the run_timeout_s limit rather than a calibrated ~0.1 s one: zeroing a few hundred
# cold MB can take more CPU than 0.1 s before the allocation count moves (sandbox.py, "Not covered")
FLAT_LIMIT_TASK = dataclasses.replace(TASK, id="calc_add_flat_limit", reference="")
LOOP = body("if (true) { while (true) {} }\n        return 0;")


@pytest.fixture(scope="module")
def pool():
    if subprocess.run(["which", "javac"], capture_output=True).returncode != 0:
        pytest.skip("javac not installed")
    with make_pool(CFG) as p:
        yield p


def verify_one(pool, completion: str, task: Task = TASK) -> Verdict:
    return pool.verify([task], [completion])[0]


# ---------------------------------------------------------------- pure functions

def test_reward_shapes():
    assert [reward(Outcome(s, c, p, 2), "tiered") for s, c, p in
            [("compile_error", False, 0), ("test_failure", True, 1), ("pass", True, 2)]] == [0.0, 1.0, 2.0]
    assert reward(Outcome("test_failure", True, 1, 2), "partial") == 1.5
    assert reward(Outcome("test_failure", True, 1, 2), "binary") == 0.0
    assert [reward(Outcome(s, c), "coderl") for s, c in [("compile_error", False), ("timeout", True),
                                                         ("test_failure", True), ("pass", True)]] == [-1, -0.6, -0.3, 1]
    assert math.isnan(reward(Outcome("sandbox_error", False), "tiered"))
    with pytest.raises(ValueError):
        make_pool(VerifierConfig(reward="nonsense"))


def test_bwrap_shows_this_python_again_when_it_lives_under_tmp(tmp_path):
    """The sandbox's private /tmp hid a venv checked out under /tmp: every Python program failed."""
    from rlvr.verifier import sandbox

    argv = sandbox.bwrap_prefix(readable=(str(tmp_path), "/usr", "relative"))
    assert argv[argv.index("--tmpfs") + 1] == "/tmp"
    shown = [argv[i + 1] for i, a in enumerate(argv) if a == "--ro-bind"]
    assert shown == ["/", str(tmp_path)]  # only what /tmp hides; / already holds /usr
    assert argv.index(str(tmp_path)) > argv.index("--tmpfs") and "--bind" not in argv  # nothing host-side is writable
    import sys
    assert sys.prefix in sandbox.runtime_paths() and "/x" in sandbox.runtime_paths("/x")


def test_program_assembly():
    assert solution_file_name(PROMPT) == "Calc.java"
    assert solution_file_name("import java.util.*;\nclass Solution {\n    public class Inner {}") == "Solution.java"
    assert assemble_tests(PROMPT, "public class Main {}") == "import java.util.*;\npublic class Main {}"
    assert set(REGISTRY) == {"java", "python"}


# ---------------------------------------------------------------- rewards and statuses

def test_correct_program_scores_2(pool):
    v = verify_one(pool, GOOD)
    assert (v.status, v.reward, v.compiled, v.tests_passed, v.tests_total) == ("pass", 2.0, True, 2, 2)


def test_wrong_program_scores_1_and_counts_tests(pool):
    v = verify_one(pool, HALF_WRONG)
    assert (v.status, v.reward, v.tests_passed, v.tests_total) == ("test_failure", 1.0, 1, 2)
    assert "add(-5, 2)" in v.error


def test_garbage_scores_0_with_line_number(pool):
    v = verify_one(pool, " this is not java ;; }")
    assert (v.status, v.reward, v.compiled) == ("compile_error", 0.0, False)
    assert v.error.startswith("Calc.java:4: error:")


def test_degenerate_repetition_is_a_fast_compile_error(pool):
    started = time.monotonic()
    v = verify_one(pool, ".S" * 5000)
    assert v.status == "compile_error" and time.monotonic() - started < 10


SPIN = "static int x = spin(); static int spin() { while (true) {} }"  # hangs in class initialisation


@pytest.mark.parametrize("completion", [LOOP, body(f"class Spin {{ {SPIN} }}\n        return a + b + Spin.x;")],
                         ids=["loop", "static_initialiser"])
def test_hang_times_out(pool, completion):
    started = time.monotonic()
    v = verify_one(pool, completion)
    assert (v.status, v.reward, v.compiled) == ("timeout", 1.0, True)
    assert time.monotonic() - started < RUN_TIMEOUT_S + 1.5


def test_members_after_the_method_are_never_compiled(pool):
    """Only the target method is checked: a hanging static initialiser written after it is cut away."""
    v = verify_one(pool, body("return a + b;", f"    {SPIN}\n"))
    assert v.status == "pass" and v.reward == 2.0


@pytest.mark.parametrize("code", ["System.exit(0);", "Runtime.getRuntime().halt(0);", EXIT_BY_REFLECTION],
                         ids=["exit", "halt", "exit_by_reflection"])
def test_exit_is_not_a_pass_and_pool_survives(pool, code):
    completion = code if code.startswith("\n") else body(code + "\n        return a + b;")
    v = verify_one(pool, completion)
    assert v.status == "runtime_error" and v.reward == 1.0
    assert verify_one(pool, fresh_good()).status == "pass"


def test_unstoppable_thread_gets_its_worker_replaced(pool):
    # the loop is inside JDK code (a regex backtracking for minutes), which Stopper's checks cannot reach
    stubborn = body('while (true) { try { java.util.regex.Pattern.matches("(.*a){20}", "a".repeat(40) + "b"); } '
                    'catch (Throwable t) { } }')
    before = pool.worker_pids()
    v = verify_one(pool, stubborn)
    assert v.status == "timeout"  # replied first; the worker then fails to stop it and exits
    deadline = time.monotonic() + 30
    while set(pool.worker_pids()) & set(before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert verify_one(pool, fresh_good()).status == "pass" and not set(pool.worker_pids()) & set(before)


def test_no_tests_means_compiled(pool):
    v = verify_one(pool, GOOD, Task(id="calc_no_tests", prompt=PROMPT, tests=""))
    assert (v.status, v.reward, v.compiled, v.tests_total) == ("compiled", 1.0, True, 0)


def test_a_reused_javac_context_forgets_the_last_program():
    # Javac.java keeps each javac context between compilations (JavacTaskPool): a class one program
    # defined must not be there for the next one on the same context (one worker, one handler)
    with_helper = dataclasses.replace(TASK, id="calc_helper", prompt=PROMPT.replace(
        "public class Calc", "class Helper { static int id(int x) { return x; } }\n\npublic class Calc"))
    with make_pool(dataclasses.replace(CFG, threads_per_worker=1)) as own:
        for _ in range(3):
            uses = body(f"return Helper.id(a) + b; // {uuid.uuid4().hex}")
            assert verify_one(own, uses, with_helper).status == "pass"
            v = verify_one(own, uses)
            assert v.status == "compile_error" and "cannot find symbol" in v.error, v


def test_memory_bomb_is_memory_limit(pool):
    v = verify_one(pool, MEMORY_BOMB, FLAT_LIMIT_TASK)
    assert v.status == "memory_limit" and ("OutOfMemoryError" in v.error or "memory limit" in v.error), v


def test_output_flood_returns(pool):
    started = time.monotonic()
    v = verify_one(pool, body("for (int i = 0; i < 100_000_000; i++) System.out.println(i);\n        return a + b;"))
    # println allocates a String per line, and memory_mb counts bytes allocated: a fast machine reaches
    # 256 MB before the CPU limit (CI: memory_limit at 0.54 s), a slow one times out first
    assert v.status in ("pass", "timeout", "memory_limit") and v.seconds < RUN_TIMEOUT_S + 1.5  # the worker's clock
    assert time.monotonic() - started < 60


def test_output_beyond_the_cap_is_discarded_not_failed(pool):
    v = verify_one(pool, body('for (int i = 0; i < 20_000; i++) System.out.println("0123456789012345678901234567890");'
                              "\n        return a + b;"))
    assert v.status == "pass"


def test_program_output_cannot_forge_a_verdict(pool):
    forge = "\\t".join(["0", "0", "pass", "1", "2", "2", "1", "0", ""])
    v = verify_one(pool, body(f'for (int i = 0; i < 50; i++) {{ System.out.println("{forge}"); '
                              f'System.err.println("READY\\tsm=1"); }}\n        return a * b;'))
    assert v.status == "test_failure" and v.tests_passed == 0


def test_thread_spam_is_refused_before_it_runs(pool):
    spam = body("for (int i = 0; i < 100_000; i++) { Thread t = new Thread(() -> { try { Thread.sleep(60_000); }"
                " catch (InterruptedException e) { } }); t.start(); }\n        return a + b;")
    v = verify_one(pool, spam)
    assert v.status == "runtime_error" and v.error == "forbidden API: java.lang.Thread.<init>"


@pytest.mark.parametrize("how", ["direct", "reflection"])
def test_file_write_outside_scratch_does_not_happen(pool, how, tmp_path):
    target = tmp_path / f"pwned_{uuid.uuid4().hex}"
    if how == "direct":
        code = f'try {{ new java.io.FileOutputStream("{target}").write(1); }} catch (Exception e) {{ }}'
    else:
        code = (f'try {{ Object o = Class.forName("java.io.FileOutputStream").getConstructor(String.class)'
                f'.newInstance("{target}"); }} catch (Exception e) {{ throw new RuntimeException(e); }}')
    v = verify_one(pool, body(code + "\n        return a + b;"))
    assert v.status != "pass" and not target.exists()


@pytest.mark.parametrize("how", ["direct", "reflection"])
def test_socket_connect_does_not_arrive(pool, how):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    if how == "direct":
        code = f'try {{ new java.net.Socket("127.0.0.1", {port}).close(); }} catch (Exception e) {{ }}'
    else:
        code = (f'try {{ Class.forName("java.net.Socket").getConstructor(String.class, int.class)'
                f'.newInstance("127.0.0.1", {port}); }} catch (Exception e) {{ throw new RuntimeException(e); }}')
    try:
        v = verify_one(pool, body(code + "\n        return a + b;"))
        with pytest.raises(socket.timeout):
            server.accept()
    finally:
        server.close()
    assert v.status != "pass"


def test_mixed_batch_gives_good_programs_correct_verdicts(pool):
    completions = [GOOD, MEMORY_BOMB, LOOP, HALF_WRONG, body("System.exit(0);\n        return a + b;"),
                   EXIT_BY_REFLECTION, GOOD.replace("a + b", "b + a"), MEMORY_BOMB.replace("1 << 24", "1 << 23"),
                   GOOD.replace("a + b", "a + b + 0"), body("return a * b;")]
    tasks = [FLAT_LIMIT_TASK if completion.startswith(MEMORY_BOMB[:40]) else TASK for completion in completions]
    verdicts = pool.verify(tasks, completions)
    statuses = [v.status for v in verdicts]
    assert statuses[0] == statuses[6] == statuses[8] == "pass"
    assert statuses[3] == statuses[9] == "test_failure"
    assert statuses[1] == statuses[7] == "memory_limit" and statuses[2] == "timeout", verdicts


# ---------------------------------------------------------------- pool mechanics

def test_killed_worker_is_replaced_and_its_program_rerun(pool):
    verify_one(pool, GOOD)
    before = pool.worker_pids()
    slow_good = body("try { Thread.sleep(400); } catch (InterruptedException e) { }\n        return a + b;")  # 2 tests: 0.8 s
    result = {}
    thread = threading.Thread(target=lambda: result.update(v=verify_one(pool, slow_good)))
    thread.start()
    time.sleep(0.3)  # the program is in flight now
    for pid in before:
        with contextlib.suppress(ProcessLookupError):  # a worker may be restarting after an unstoppable timeout
            os.kill(pid, signal.SIGKILL)
    thread.join(timeout=60)
    assert result["v"].status == "pass"
    after = pool.worker_pids()
    assert after and not set(after) & set(before)


def test_duplicates_are_verified_once_and_cached(pool):
    completion = body("return b + a + 0 * 17;")
    first = pool.verify([TASK, TASK], [completion, completion])
    assert [v.cached for v in first] == [False, True] and first[0].status == first[1].status == "pass"
    again = pool.verify([TASK], [completion + "\n// trailing text after the class is cut"])[0]
    assert again.cached and again.status == "pass"


def test_unknown_language_is_sandbox_error_and_scores_none(pool):
    task = Task(id="x", prompt="x", tests="x", language="cobol")
    v = verify_one(pool, "x", task)
    assert v.status == "sandbox_error" and math.isnan(v.reward)
    assert pool.score([task, TASK], ["x", GOOD]) == [None, 2.0]


def test_averify_matches_verify(pool):
    import asyncio
    v = asyncio.run(pool.averify([TASK], [GOOD]))[0]
    assert v.status == "pass"


EVENS = Task(id="evens", prompt="import java.util.*;\n\nclass Solution {\n    public List<Integer> evens(List<Integer> xs) {",
             tests="public class Main {\n    public static void main(String[] args) {\n        if (!new Solution().evens("
                   "Arrays.asList(1, 2, 3, 4)).equals(Arrays.asList(2, 4))) throw new AssertionError();\n    }\n}\n",
             reference="\n        List<Integer> r = new ArrayList<>();\n        for (int x : xs) if (x % 2 == 0) r.add(x);\n"
                       "        return r;\n    }\n}")


@pytest.mark.parametrize("completion,status", [
    ("\n        return new ArrayList<Integer>() { public boolean equals(Object o) { return true; } };\n    }\n}",
     "runtime_error"),  # equal to everything: the tests ask actual.equals(expected)
    # a list of elements equal to everything, sized to the list it is compared with (found by red-teaming)
    ("\n        class E { public boolean equals(Object o) { return true; } public int hashCode() { return 0; } }\n"
     "        return new AbstractList() {\n            int n; boolean fresh = true;\n"
     "            public Object get(int i) { n++; fresh = true; return new E(); }\n"
     "            public int size() { if (fresh) { fresh = false; return n + 1; } return n; }\n"
     "            public ListIterator listIterator() { ListIterator it = super.listIterator(); n = 0; fresh = true; return it; }\n"
     "        };\n    }\n}", "runtime_error"),
    # a member class of a local class (no EnclosingMethod attribute), over a local AbstractList (red team: 52 of
    # HumanEval-X's 164 tasks passed unsolved)
    ("\n        abstract class Base extends AbstractList<Integer> { public Integer get(int i) { throw new "
     "RuntimeException(); } public int size() { return 0; } }\n        class Box { class Any extends Base { public boolean "
     "equals(Object o) { return true; } public int hashCode() { return 0; } } }\n        return new Box().new Any();\n    }\n}",
     "runtime_error"),
    ("\n        return new ArrayList<Integer>() {{ add(2); add(4); }};\n    }\n}", "pass"),  # a JDK subclass is fine
    ("\n        record P(int x) { }\n        List<Integer> r = new ArrayList<>();\n        for (int x : xs) "
     "if (x % 2 == 0 && new P(x).equals(new P(x))) r.add(x);\n        return r;\n    }\n}", "pass"),  # a record's own equals
    ("\n        return new ArrayList<Integer>() {{ add(2); }};\n    }\n}", "test_failure")])
def test_an_always_equal_result_is_refused(pool, completion, status):
    verdict = verify_one(pool, completion, EVENS)
    assert verdict.status == status, verdict
    assert status != "runtime_error" or "java.lang.Object.equals (defined in a class inside a method)" in verdict.error


# ---------------------------------------------------------------- python verifier

PY_TASK = Task(id="py_add", prompt="def add(a, b):\n", tests="assert add(1, 2) == 3\nassert add(-5, 2) == -3\n",
               language="python")


@pytest.mark.parametrize("completion,status", [("    return a + b\n", "pass"), ("    return a - b\n", "test_failure"),
                                               ("    while True: pass\n", "timeout"), ("    return (\n", "compile_error"),
                                               # exiting before the tests run is no pass
                                               ("    return 0\nimport sys; sys.exit(0)\n", "runtime_error"),
                                               ("    return 0\nimport os; os._exit(0)\n", "runtime_error"),
                                               ("    return 0\nimport atexit, os; atexit.register(os._exit, 0)\n",
                                                "runtime_error"),
                                               # an object equal to everything
                                               ("    class A:\n        def __eq__(self, o): return True\n    return A()\n",
                                                "runtime_error"),
                                               # the expected values read from the program's own file (red team)
                                               ("    import re\n    return {(int(x), int(y)): int(z) for x, y, z in re.findall("
                                                "r'add\\((-?\\d+), (-?\\d+)\\) == (-?\\d+)', open('program.py').read())}[(a, b)]\n",
                                                "runtime_error")])
def test_python_verifier(pool, completion, status):
    assert verify_one(pool, completion, PY_TASK).status == status


@pytest.mark.parametrize("spawn", ["os.setsid(); time.sleep(60)",  # a daemon in a session of its own
                                   "os.setsid(); subprocess.Popen(['sleep', '60']); time.sleep(60)"])
def test_a_python_program_leaves_no_process_behind(tmp_path, spawn):
    """Without bwrap too: whatever the program forked is killed with its run, wherever it moved."""
    pids = tmp_path / "pids"
    completion = (f"    return a + b\nimport os, subprocess, time\nif os.fork() == 0:\n"
                  f"    open({str(pids)!r}, 'a').write(str(os.getpid()) + '\\n'); {spawn}\n")
    with make_pool(VerifierConfig(sandbox="none", workers=1)) as python_pool:
        assert verify_one(python_pool, completion, PY_TASK).status == "pass"
    pid = int(pids.read_text().split()[0])
    try:  # killed: gone, or a zombie where this container's pid 1 does not reap
        alive = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        alive = False
    assert not alive


# ---------------------------------------------------------------- CLI

def test_verify_cli_round_trip(tmp_path):
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({**TASK.to_json(), "stop": []}) + "\n")
    completions = tmp_path / "completions.jsonl"
    completions.write_text("\n".join([json.dumps({"task_id": "calc_add", "completion": GOOD}), "{not json",
                                      json.dumps({"task_id": "nope", "completion": GOOD}),
                                      json.dumps({"task_id": "calc_add", "completion": "garbage"})]) + "\n")
    out = tmp_path / "verdicts.jsonl"
    result = subprocess.run([sys.executable, "-m", "rlvr.verify", "--tasks", str(tasks), "--completions",
                             str(completions), "--out", str(out), "--workers", "1"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 1, result.stderr  # two unreadable lines; every line still has its row
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["status"] for r in rows] == ["pass", "sandbox_error", "sandbox_error", "compile_error"]
    assert rows[0]["reward"] == 2.0 and rows[1]["reward"] is None and rows[0]["completion"] == GOOD
    assert "line 2: not valid JSON" in result.stderr and "line 3: unknown task_id 'nope'" in result.stderr


def test_verify_cli_refuses_to_overwrite_its_input_and_exits_1_when_the_pool_failed(tmp_path):
    """`--out C.jsonl` replaced the completions with verdicts, exit 0; a JVM that never started gave a file of
    sandbox_error rows, exit 0 (bad-input pass)."""
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({**TASK.to_json(), "stop": []}) + "\n")
    completions = tmp_path / "completions.jsonl"
    completions.write_text(json.dumps({"task_id": "calc_add", "completion": GOOD}) + "\n")
    verify = [sys.executable, "-m", "rlvr.verify", "--tasks", str(tasks), "--completions", str(completions), "--workers", "1"]
    before = completions.read_bytes()
    same = subprocess.run([*verify, "--out", str(completions)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert same.returncode == 2 and "is an input file" in same.stderr and completions.read_bytes() == before
    broken = subprocess.run([*verify, "--out", str(tmp_path / "v.jsonl"), "--jvm-arg=-Xmx1k"], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert broken.returncode == 1 and "rlvr.verify: error: verifier pool failed on 1/1" in broken.stderr, broken.stderr
    tasks.write_text(json.dumps({**TASK.to_json(), "stop": [], "language": "cobol"}) + "\n")
    cobol = subprocess.run(verify, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert cobol.returncode == 2 and f"{tasks}:1: field 'language' is 'cobol': no verifier for it" in cobol.stderr


# ---------------------------------------------------------------- public benchmarks

FIXTURES = ROOT / "tests" / "fixtures"  # a few benchmark problems, so every clone tests these paths


@pytest.mark.parametrize("name", ["humaneval_x_java_6.jsonl", "mbjp_3.jsonl"])
def test_benchmark_fixture_through_the_verify_cli(tmp_path, name):
    """Canonical solutions pass and half-truncated ones do not, via `python -m rlvr.verify --tasks BENCH`."""
    tasks = load_tasks(FIXTURES / name)
    completions = tmp_path / "completions.jsonl"
    completions.write_text("".join(json.dumps({"task_id": t.id, "completion": c}) + "\n" for t in tasks
                                   for c in (t.reference, t.reference[: len(t.reference) // 2])))
    out = tmp_path / "verdicts.jsonl"
    result = subprocess.run([sys.executable, "-m", "rlvr.verify", "--tasks", str(FIXTURES / name), "--completions",
                             str(completions), "--out", str(out), "--workers", "1"],
                            capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    statuses = [json.loads(line)["status"] for line in out.read_text().splitlines()]
    assert statuses[0::2] == ["pass"] * len(tasks), statuses
    assert "pass" not in statuses[1::2], statuses


@pytest.fixture(scope="module")
def humaneval():
    if not HUMANEVAL.is_file():
        pytest.skip(f"{HUMANEVAL} not present (needs the shared benchmarks next to the repo)")
    return load_tasks(HUMANEVAL)


def test_humaneval_x_canonical_solutions_all_pass(pool, humaneval):
    verdicts = pool.verify(humaneval, [t.reference for t in humaneval])
    failing = [(t.id, v.status, v.error) for t, v in zip(humaneval, verdicts) if v.status != "pass"]
    assert len(humaneval) == 164 and not failing


def test_humaneval_x_truncated_solutions_do_not_pass(pool, humaneval):
    verdicts = pool.verify(humaneval, [t.reference[: len(t.reference) // 2] for t in humaneval])
    assert not [t.id for t, v in zip(humaneval, verdicts) if v.status == "pass"]


def test_mbjp_sample_passes(pool):
    if not MBJP.is_file():
        pytest.skip(f"{MBJP} not present")
    tasks = [t for t in load_tasks(MBJP) if t.reference][:40]
    verdicts = pool.verify(tasks, [t.reference for t in tasks])
    assert all(v.status == "pass" for v in verdicts), [(t.id, v.error) for t, v in zip(tasks, verdicts)
                                                       if v.status != "pass"]


def test_bench_batch_mix():
    from rlvr.bench import OUR_TASKS, build_batch, stratified_subset
    from rlvr.tasks import cut_completion
    batch = build_batch(load_tasks(OUR_TASKS), 512)
    kinds = [kind for _, _, kind in batch]
    duplicates = len(batch) - len({(t.id, cut_completion(t, c)) for t, c, _ in batch})
    assert len(batch) == 512 and 140 <= kinds.count("correct") <= 200 and 120 <= duplicates <= 170
    subset = stratified_subset(kinds, 64)
    assert len(set(subset)) == 64 and abs(sum(kinds[i] == "correct" for i in subset) - 64 * kinds.count("correct") / 512) <= 1


# ---------------------------------------------------------------- v2: tests compiled once, limits, pool contract

REF_TASK = Task(id="calc_add_ref", prompt=PROMPT, reference="\n        return a + b;\n    }\n}",
                tests=TESTS.replace("if (Calc.add(1, 2) != 3)", "if (!Objects.equals(Calc.add(1, 2), 3))")
                .replace("if (Calc.add(-5, 2) != -3)", "if (!Objects.equals(Calc.add(-5, 2), -3))"))
SHADOW = ("\n        return 0;\n    \\u007d\n\\u007d\nclass Objects { static boolean equals(Object a, Object b) { return true; } }\n"
          "class Pad {\n    void pad() {\n        int x = 0;\n    }\n}\n")


@pytest.mark.parametrize("completion,status", [
    (SHADOW, "test_failure"),  # a top-level class shadowing java.util.Objects for the tests
    ("\n        return 0;\n    \\u007d\n    public static int add(Integer a, int b) { return a + b; }\n"
     "    static void pad() \\u007b\n    }\n", "test_failure"),  # an overload the tests would pick
    ("\n        return a + b;\n    \\u007d\n\\u007d\nclass Main { public static void main(String[] a) { } }\n"
     "class Pad {\n    void pad() {\n        int x = 0;\n    }\n}\n", "pass"),  # its own Main
    ("\n        char q = '\\u005c''; return 0; } } class Objects { static boolean equals(Object a, Object b) "
     "{ return true; } } class Pad { void pad() { //'\n        int x = 0;\n    }\n}\n", "test_failure"),
], ids=["shadowing_class", "extra_overload", "own_main", "escaped_backslash_ends_the_method"])
def test_what_follows_the_method_for_javac_is_never_compiled(pool, completion, status):
    """javac reads \\u007d as `}` before anything else: the cut closes the method there too, so code after it
    (a class shadowing the tests' API, an overload, a Main of its own) is never compiled, in the pool or the
    naive path (which, compiling the tests beside such a class, passed the shadowing one before). `'\\u005c''`
    is the char `'\\''` for javac; a cut that read it as `'\\u005c'` and a quote compiled the class after it
    (red team: one equal to every List passed 330 of 334 benchmark tasks)."""
    from rlvr.bench import naive_status
    assert verify_one(pool, completion, REF_TASK).status == status
    assert naive_status(REF_TASK, completion, CFG) == status


def test_a_task_with_a_reference_gets_a_calibrated_cpu_limit():
    """A loop stops at the task's CPU limit, far below run_timeout_s (CPU time: the machine's load does not matter)."""
    with make_pool(VerifierConfig(workers=1, threads_per_worker=2, run_timeout_s=30.0)) as pool:
        assert verify_one(pool, "\n        return a + b; // calibrated\n    }\n}", REF_TASK).status == "pass"
        v = verify_one(pool, LOOP, REF_TASK)
    assert v.status == "timeout" and "the reference's" in v.error and "CPU limit" in v.error, v
    assert v.seconds < 15, v


def test_memory_limit_is_per_program(pool):
    """Over memory_mb allocated is memory_limit whatever the neighbours do; under it passes."""
    big = body("long[] hog = new long[40 << 20]; hog[a & 7] = 1;\n        return a + b + (int) hog[7];")  # 320 MB
    small = body("long[] hog = new long[8 << 20]; hog[a & 7] = 1;\n        return a + b + (int) hog[7];")  # 64 MB
    verdicts = pool.verify([FLAT_LIMIT_TASK, FLAT_LIMIT_TASK, REF_TASK], [big, small, LOOP])
    assert [v.status for v in verdicts] == ["memory_limit", "pass", "timeout"], verdicts


@pytest.mark.parametrize("shape", ["tiered", "binary", "partial", "coderl"])
def test_a_trivial_body_earns_nothing_in_every_shape(shape):
    from rlvr.verifier.pool import no_reward_if_trivial
    passing = Verdict(reward=2.0, status="pass", compiled=True, tests_passed=1, tests_total=1, error="", seconds=0.1,
                      cached=False)
    v = no_reward_if_trivial(TASK, "\n        return 0;\n    }\n}", passing, shape)
    lowest = -1.0 if shape == "coderl" else 0.0  # what a program that does not compile earns
    assert (v.reward, v.status) == (lowest, "pass") and "trivial body" in v.error
    assert no_reward_if_trivial(TASK, GOOD, passing, shape) == passing


def test_pool_zeroes_a_trivial_body_it_verified(pool):
    v = verify_one(pool, body("return 0;"))
    assert (v.status, v.reward) == ("test_failure", 0.0) and v.error.startswith("trivial body")


def test_sandbox_failure_names_the_pools_error():
    from rlvr.verifier import sandbox_failure
    ok = Verdict(reward=2.0, status="pass", compiled=True, tests_passed=1, tests_total=1, error="", seconds=0.1,
                 cached=False)
    bad = Verdict(reward=math.nan, status="sandbox_error", compiled=False, tests_passed=0, tests_total=0,
                  error="cannot start Java worker: boom", seconds=0.0, cached=False)
    assert sandbox_failure([]) is None and sandbox_failure([ok, ok, bad]) is None
    message = sandbox_failure([ok, bad])
    assert "1/2" in message and "cannot start Java worker: boom" in message and "\n" not in message


@pytest.mark.parametrize("key,value,allowed", [
    ("workers", -1, ">= 0"), ("threads_per_worker", 0, ">= 1"), ("sandbox", "bwarp", "auto|bwrap|none"),
    ("run_timeout_s", -1.0, "> 0"), ("compile_timeout_s", 0, "> 0"), ("reward", "tierd", "tiered|binary"),
    ("memory_mb", 0, ">= 16"), ("jvm_args", ["Xmx1g"], "starting with '-'"), ("run_timeout_multiple", float("nan"), "> 0"),
])
def test_make_pool_refuses_a_bad_value_before_any_jvm(key, value, allowed):
    from rlvr.config import ConfigError
    with pytest.raises(ConfigError, match=f"verifier.{key}=") as error:
        make_pool(VerifierConfig(**{key: value}))
    assert allowed in str(error.value)


@pytest.mark.parametrize("version,feature", [
    ('openjdk version "17.0.15" 2025-04-15', 17), ('openjdk version "25.0.3" 2026-04-21 LTS', 25),
    ('openjdk version "26-ea" 2026-03-17', 26), ('java version "1.8.0_392"', 8), ("no java here", 0)])
def test_jdk_feature_reads_java_version(version, feature):
    assert jdk_feature(version) == feature


def test_worker_flags_fit_the_jdk():
    """JDK 18-23 install the worker's SecurityManager only with `allow`; JDK 24+ refuses to start with it.
    StopperAsm.java needs java.base's ASM exported below 24 (JDK 25 has none to export)."""
    old, new = jvm_argv(CFG, Path("classes"), 23), jvm_argv(CFG, Path("classes"), 24)
    assert "-Djava.security.manager=allow" in old and ASM_EXPORTS in old
    assert not any("java.security.manager" in flag or "objectweb" in flag for flag in new)


def test_a_worker_jvm_that_cannot_start_says_why():
    with make_pool(dataclasses.replace(CFG, jvm_args=["-XX:+NoSuchRlvrFlag"])) as pool:
        verdict = pool.verify([TASK], [fresh_good()])[0]
    assert verdict.status == "sandbox_error" and "Unrecognized VM option 'NoSuchRlvrFlag'" in verdict.error, verdict


def test_a_jdk_that_cannot_build_the_stopper_still_verifies_and_says_so(tmp_path, monkeypatch, capfd):
    """A JDK whose class-file library is not what Stopper*.java expects: timeouts restart the worker."""
    broken = tmp_path / "Stopper.java"
    broken.write_text("final class Stopper { static { no.such.ClassFile.of(); } }")
    monkeypatch.setattr(java_backend, "STOPPER_SOURCE", broken)
    monkeypatch.setattr(java_backend, "STOPPER_ASM_SOURCE", broken)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with make_pool(CFG) as pool:
        assert verify_one(pool, fresh_good()).status == "pass"
        before = set(pool.worker_pids())
        assert verify_one(pool, body("while (a < 100) { }\n        return a + b;")).status == "timeout"
        pids_after_stopping(pool, before)
        assert verify_one(pool, fresh_good()).status == "pass" and set(pool.worker_pids()) != before
    assert "cannot build the cooperative stop" in capfd.readouterr().err


def test_workers_default_to_this_ranks_share_of_the_node(monkeypatch):
    from rlvr.verifier.config import node_share_of_cores
    cores = len(os.sched_getaffinity(0))
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "1")
    assert node_share_of_cores() == cores
    monkeypatch.setenv("LOCAL_WORLD_SIZE", str(cores * 4))
    assert node_share_of_cores() == 1
    monkeypatch.setenv("LOCAL_WORLD_SIZE", "2")
    assert node_share_of_cores() == max(1, cores // 2)


def run_verify_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rlvr.verify", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("flags,named", [
    (["--workers", "-1"], "verifier.workers=-1"), (["--threads-per-worker", "0"], "verifier.threads_per_worker=0"),
    (["--sandbox", "bwarp"], "verifier.sandbox='bwarp'"), (["--run-timeout-s", "-1"], "verifier.run_timeout_s=-1.0"),
    (["--reward", "tierd"], "verifier.reward='tierd'"), (["--jvm-arg", "Xmx1g"], "verifier.jvm_args"),
])
def test_verify_cli_bad_flag_is_one_line_exit_2(tmp_path, flags, named):
    completions = tmp_path / "c.jsonl"
    completions.write_text(json.dumps({"task_id": "calc_add", "completion": GOOD}) + "\n")
    result = run_verify_cli("--tasks", str(FIXTURES / "mbjp_3.jsonl"), "--completions", str(completions), *flags)
    assert result.returncode == 2 and named in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [None, "{not json\n", "[1, 2]\n", ""], ids=["missing", "bad_json", "array", "empty"])
def test_verify_cli_bad_tasks_file_is_one_line_naming_it(tmp_path, content):
    tasks = tmp_path / "tasks.jsonl"
    if content is not None:
        tasks.write_text(content)
    completions = tmp_path / "c.jsonl"
    completions.write_text("")
    result = run_verify_cli("--tasks", str(tasks), "--completions", str(completions))
    assert result.returncode == 2 and str(tasks) in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_verify_cli_garbage_and_non_utf8_lines_get_error_rows(tmp_path):
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({**TASK.to_json(), "stop": []}) + "\n")
    completions = tmp_path / "c.jsonl"
    completions.write_bytes(b"\xff\xfe not utf-8\n" + b"\x00\x01garbage\n" + b'"a string"\n'
                            + b'{"task_id": ["x"], "completion": "y"}\n'
                            + json.dumps({"task_id": "calc_add", "completion": "garbage"}).encode() + b"\n")
    out = tmp_path / "v.jsonl"
    result = run_verify_cli("--tasks", str(tasks), "--completions", str(completions), "--out", str(out),
                            "--workers", "1", timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "4 line(s)" in result.stderr.splitlines()[-1]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["status"] for r in rows] == ["sandbox_error"] * 4 + ["compile_error"]
    assert "line 1: not UTF-8" in result.stderr and "line 4: unknown task_id" in result.stderr


def test_bench_realistic_batch_reads_samples_rows(tmp_path):
    from rlvr.bench import real_batch
    samples = tmp_path / "samples.jsonl"
    samples.write_text("\n".join([json.dumps({"task_id": "calc_add", "completion": GOOD, "reward": 2.0}),
                                  json.dumps({"task_id": "other", "completion": GOOD}), ""]) + "\n")
    assert real_batch(str(samples), {"calc_add": TASK}) == [(TASK, GOOD)]


def test_bench_refuses_unreadable_samples_and_a_failed_pool(tmp_path):
    """Bad-input pass: a samples file that was not UTF-8 or JSON was a traceback; a pool whose JVMs never started
    printed a programs/s figure of verdicts nobody judged."""
    from rlvr import bench
    from rlvr.bench import real_batch

    samples = tmp_path / "samples.jsonl"
    samples.write_bytes(json.dumps({"task_id": "calc_add", "completion": GOOD}).encode() + b'\n{"task_id": "cal\n\xe9\n')
    assert real_batch(str(samples), {"calc_add": TASK}) == [(TASK, GOOD)]
    samples.write_bytes(b"\xe9 not json\n")
    assert bench.main(["verifier", "--samples", str(samples), "--n", "4", "--naive", "0"]) == 2
    assert bench.main(["verifier", "--n", "4", "--naive", "0", "--jvm-arg=-Xmx1k"]) == 1
