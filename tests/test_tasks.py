"""The Java task set data/java_bst: well formed, up to date, and judged right by a real JVM.

Every reference must pass its tests; the bare prompt and trivial bodies (`return 0;`,
`return null;`, `return;` ... whichever compiles for the method's return type) must not.
Programs are checked with the project's verifier pool (`rlvr.verifier.make_pool`) when it is
importable, else with a small in-process harness: one JVM that compiles each program with
javax.tools and runs every static test* method of Main separately (same contract as the pool).
Set RLVR_TASKS_VERIFIER=harness to force the harness.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rlvr.tasks import Task, TaskFileError, cut_completion, load_tasks

ROOT = Path(__file__).resolve().parents[1]
TASK_DIR = ROOT / "data" / "java_bst"
TASKS_FILE = TASK_DIR / "tasks.jsonl"

pytestmark = pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None, reason="needs a JDK (javac, java)"
)


def _load_build_module():
    spec = importlib.util.spec_from_file_location("java_bst_build_tasks", TASK_DIR / "build_tasks.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up while building the class
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------------------------------------
# Trivial bodies per return type
# ---------------------------------------------------------------------------------------------
_SIG_RE = re.compile(
    r"^\s*(?:(?:public|private|protected|static|final|synchronized)\s+)*(?:<[^>]+>\s+)?"
    r"([\w.<>\[\], ?]+?)\s+(\w+)\s*\([^)]*\)\s*(?:throws [\w., ]+)?\{$"
)


def return_type(task: Task) -> str:
    m = _SIG_RE.match(task.prompt.rsplit("\n", 1)[-1])
    assert m, f"{task.id}: cannot read the method signature {task.prompt.rsplit(chr(10), 1)[-1]!r}"
    return m.group(1).strip()


def trivial_bodies(task: Task) -> list[str]:
    rtype = return_type(task)
    if rtype == "void":
        stmts = ["return;"]
    elif rtype == "boolean":
        stmts = ["return false;", "return true;"]
    elif rtype in ("int", "long", "short", "byte", "double", "float"):
        stmts = ["return 0;", "return -1;"]
    elif rtype == "char":
        stmts = ["return 0;", "return ' ';"]
    elif rtype in ("Integer", "Long"):
        stmts = ["return null;", "return 0;" if rtype == "Integer" else "return 0L;"]
    elif rtype == "String":
        stmts = ['return "";', "return null;"]
    elif rtype.startswith(("List<", "ArrayList<", "Collection<")):
        stmts = ["return new ArrayList<>();", "return null;"]
    elif rtype.endswith("[]"):
        base, dims = rtype.split("[")[0], rtype.count("[]")
        stmts = ["return null;", f"return new {base}[0]{'[]' * (dims - 1)};"]
    else:
        stmts = ["return null;"]
    return [f"\n        {s}\n    }}\n}}\n" for s in stmts]


# ---------------------------------------------------------------------------------------------
# Checking programs: the verifier pool if there is one, else a one-JVM harness
# ---------------------------------------------------------------------------------------------
HARNESS_JAVA = r"""
import java.io.File;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles every case directory and runs each static test* method of its Main separately. */
public class Harness {
    public static void main(String[] args) throws Exception {
        JavaCompiler jc = ToolProvider.getSystemJavaCompiler();
        long timeoutMs = Long.parseLong(args[1]);
        File[] cases = new File(args[0]).listFiles(File::isDirectory);
        Arrays.sort(cases);
        for (File dir : cases) {
            String res;
            try {
                res = runCase(jc, dir, timeoutMs);
            } catch (Throwable e) {
                res = "sandbox_error 0 0 " + e;
            }
            System.out.println("@@RESULT " + dir.getName() + " " + res.replace('\n', ' ').replace('\r', ' '));
            System.out.flush();
        }
        System.exit(0);
    }

    @SuppressWarnings("deprecation")
    static String runCase(JavaCompiler jc, File dir, long timeoutMs) throws Exception {
        File outDir = new File(dir, "out");
        outDir.mkdirs();
        File[] srcs = dir.listFiles((d, n) -> n.endsWith(".java"));
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        StandardJavaFileManager fm = jc.getStandardFileManager(diags, null, null);
        boolean ok = jc.getTask(new StringWriter(), fm, diags,
                List.of("-d", outDir.getPath(), "-proc:none", "-nowarn", "-Xlint:none"), null,
                fm.getJavaFileObjectsFromFiles(Arrays.asList(srcs))).call();
        fm.close();
        if (!ok) {
            String msg = "";
            for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String src = d.getSource() == null ? "?" : new File(d.getSource().getName()).getName();
                    msg = src + ":" + d.getLineNumber() + ": " + d.getMessage(null);
                    break;
                }
            }
            return "compile_error 0 0 " + msg;
        }
        try (URLClassLoader cl = new URLClassLoader(new URL[] {outDir.toURI().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> main = cl.loadClass("Main");
            List<Method> tests = new ArrayList<>();
            for (Method m : main.getDeclaredMethods()) {
                if (m.getName().startsWith("test") && m.getParameterCount() == 0
                        && Modifier.isStatic(m.getModifiers())) {
                    tests.add(m);
                }
            }
            tests.sort(Comparator.comparing(Method::getName));
            String status = "pass";
            String err = "";
            int passed = 0;
            for (Method m : tests) {
                m.setAccessible(true);
                Throwable[] thrown = new Throwable[1];
                Thread t = new Thread(() -> {
                    try {
                        m.invoke(null);
                    } catch (InvocationTargetException e) {
                        thrown[0] = e.getCause();
                    } catch (Throwable e) {
                        thrown[0] = e;
                    }
                });
                t.setDaemon(true);
                t.start();
                t.join(timeoutMs);
                String s = null;
                if (t.isAlive()) {
                    t.stop();
                    s = "timeout";
                    err = m.getName() + ": timed out";
                } else if (thrown[0] == null) {
                    passed++;
                } else {
                    s = thrown[0] instanceof AssertionError ? "test_failure" : "runtime_error";
                    err = m.getName() + ": " + thrown[0];
                }
                if (s != null && !status.equals("timeout") && !status.equals("runtime_error")) {
                    status = s;
                }
            }
            if (tests.isEmpty()) {
                status = "runtime_error";
                err = "no test methods";
            }
            return status + " " + passed + " " + tests.size() + " " + err;
        }
    }
}
"""


def _class_name(prompt: str) -> str:
    m = re.search(r"^public\s+(?:final\s+|abstract\s+)?class\s+(\w+)", prompt, re.M)
    assert m, "no public class in prompt"
    return m.group(1)


def _imports(source: str) -> str:
    return "".join(line + "\n" for line in source.splitlines() if line.startswith("import "))


def _harness_verify(tasks: list[Task], completions: list[str], tmp: Path) -> list[tuple[str, str]]:
    hdir = tmp / "harness"
    hdir.mkdir(parents=True, exist_ok=True)
    (hdir / "Harness.java").write_text(HARNESS_JAVA)
    subprocess.run(["javac", "-nowarn", "-d", str(hdir), str(hdir / "Harness.java")], check=True,
                   capture_output=True)
    cases = tmp / "cases"
    cases.mkdir()
    for i, (task, completion) in enumerate(zip(tasks, completions)):
        d = cases / f"c{i:05d}"
        d.mkdir()
        source = task.prompt + cut_completion(task, completion)
        (d / f"{_class_name(task.prompt)}.java").write_text(source)
        (d / "Main.java").write_text(_imports(source) + task.tests)
    proc = subprocess.run(
        ["java", "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", str(hdir), "Harness",
         str(cases), "5000"],
        capture_output=True, text=True, timeout=1800,
    )
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT "):
            _, name, status, _passed, _total, *err = line.split(" ")
            results[name] = (status, " ".join(err))
    assert len(results) == len(tasks), f"harness answered {len(results)}/{len(tasks)}:\n{proc.stderr[-3000:]}"
    return [results[f"c{i:05d}"] for i in range(len(tasks))]


def verify(tasks: list[Task], completions: list[str], tmp: Path) -> list[tuple[str, str]]:
    """(status, error) for each (task, completion)."""
    if os.environ.get("RLVR_TASKS_VERIFIER", "auto") != "harness":
        try:
            from rlvr.verifier import make_pool
            from rlvr.verifier.config import VerifierConfig
        except ImportError:
            make_pool = None
        if make_pool is not None:
            with make_pool(VerifierConfig()) as pool:
                verdicts = pool.verify(tasks, completions)
            return [(v.status, v.error) for v in verdicts]
    return _harness_verify(tasks, completions, tmp)


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tasks() -> list[Task]:
    return load_tasks(TASKS_FILE)


@pytest.fixture(scope="module")
def verdicts(tasks, tmp_path_factory):
    """One batch: every reference, every bare prompt and every trivial body."""
    jobs = []  # (task, kind, completion)
    for t in tasks:
        jobs.append((t, "reference", t.reference))
        jobs.append((t, "empty", ""))
        for body in trivial_bodies(t):
            jobs.append((t, "trivial " + body.strip().split("\n")[0], body))
    results = verify([j[0] for j in jobs], [j[2] for j in jobs], tmp_path_factory.mktemp("java_bst"))
    return [(t.id, kind, status, err) for (t, kind, _), (status, err) in zip(jobs, results)]


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------
def test_counts_and_ids(tasks):
    assert len(tasks) >= 64, len(tasks)
    assert sum(t.split == "eval" for t in tasks) >= 16
    assert len({t.id for t in tasks}) == len(tasks)
    assert all(t.language == "java" and t.stop == () for t in tasks)
    assert load_tasks(TASKS_FILE, split="eval") == [t for t in tasks if t.split == "eval"]


def test_prompt_and_reference_shape(tasks):
    for t in tasks:
        assert t.prompt.endswith("{") and not t.prompt[-1].isspace(), t.id
        assert return_type(t)  # the last line is a method signature
        assert t.reference.endswith("\n    }\n}\n"), t.id
        # the reference closes the class exactly at its end: nothing is cut away
        assert cut_completion(t, t.reference) == t.reference.rstrip("\n"), t.id
        assert "@task" not in t.prompt and "@task" not in t.reference, t.id
        assert re.search(r"^public class Main\b", t.tests, re.M), t.id


def test_every_test_method_is_called_from_main(tasks):
    for t in tasks:
        names = re.findall(r"static void (test\w+)\(\)", t.tests)
        assert len(names) >= 2, f"{t.id}: only {names}"
        main = t.tests[t.tests.index("public static void main"):]
        for name in names:
            assert f"{name}();" in main, f"{t.id}: main does not call {name}"


def test_no_eval_reference_leaks_into_prompts(tasks):
    evals = [t for t in tasks if t.split == "eval"]
    for e in evals:
        signature = e.prompt.rsplit("\n", 1)[-1]
        body = e.reference[: -len("    }\n}\n")]
        method = signature + body
        for t in tasks:
            if t.id == e.id:
                continue
            assert method not in t.prompt, f"eval method {e.id} appears in the prompt of {t.id}"
            if body.count("\n") >= 4:  # a body of 3+ lines
                assert body not in t.prompt, f"body of eval task {e.id} appears in the prompt of {t.id}"


def test_build_is_deterministic_and_up_to_date(tmp_path):
    mod = _load_build_module()
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    mod.write_tasks(a)
    mod.write_tasks(b)
    assert a.read_bytes() == b.read_bytes(), "build_tasks.py is not deterministic"
    assert a.read_bytes() == TASKS_FILE.read_bytes(), (
        "data/java_bst/tasks.jsonl is stale: run python data/java_bst/build_tasks.py"
    )


def test_parse_class_round_trip():
    mod = _load_build_module()
    for path in sorted((TASK_DIR / "classes").glob("*.java")):
        header, name, members = mod.parse_class(path)
        assert name == path.stem
        assert mod.render_class(header, members) == "".join(
            ln for ln in path.read_text().splitlines(keepends=True) if "// @task" not in ln
        ), f"{path.name} is not in the canonical layout (one blank line between members)"
        assert any(m.task_id for m in members), path.name
        for m in members:
            if m.task_id:
                assert m.kind == "method" and m.split in ("train", "eval")


def test_classes_compile_as_is(tmp_path):
    files = sorted(str(p) for p in (TASK_DIR / "classes").glob("*.java"))
    proc = subprocess.run(["javac", "-Xlint:all", "-Werror", "-d", str(tmp_path), *files],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_references_pass(verdicts):
    bad = [(tid, status, err) for tid, kind, status, err in verdicts if kind == "reference" and status != "pass"]
    assert not bad, bad


def test_bare_prompts_fail(verdicts):
    bad = [(tid, status) for tid, kind, status, _ in verdicts if kind == "empty" and status != "compile_error"]
    assert not bad, bad


def test_trivial_bodies_fail(verdicts):
    # they compile and run, and the tests (not the compiler or the sandbox) reject them
    rejected = ("test_failure", "runtime_error", "timeout", "compiled")
    bad = [(tid, kind, status, err) for tid, kind, status, err in verdicts
           if kind.startswith("trivial") and status not in rejected]
    assert not bad, bad


def test_cut_keeps_the_method_and_closes_the_class():
    task = Task(id="t", prompt="public class A {\n    int f() {", tests="")
    extra = "\n        return 1;\n    }\n\n    int g() { return 2; }\n}\nclass B {}"
    assert cut_completion(task, extra) == "\n        return 1;\n    }\n}"
    tricky = '\n        String s = "}"; // }\n        /* } */ char c = \'}\';\n        return 1;\n    }'
    assert cut_completion(task, tricky) == tricky + "\n}"  # braces in literals and comments do not count
    unfinished = "\n        return 1;\n        while (true) {"
    assert cut_completion(task, unfinished) == unfinished  # never closes: kept as is (a compile error)
    nested = Task(id="n", prompt="public class A {\n    static class Inner {\n        int f() {", tests="")
    assert cut_completion(nested, " return 1; }") == " return 1; }\n    }\n}"


# ---------------------------------------------------------------------------------------------
# Task files as input: one-line errors naming file, line and field (no model, no JVM)
# ---------------------------------------------------------------------------------------------
GOOD_LINE = json.dumps({"id": "a", "prompt": "class A {\n    int f() {", "tests": "public class Main {}"})


@pytest.mark.parametrize("content, expected", [
    (GOOD_LINE + "\n[1, 2]\n", r":2: expected a JSON object, got a JSON array"),
    (GOOD_LINE + '\n"just a string"\n', r":2: expected a JSON object, got a JSON string"),
    ("", r": no tasks \(the file is empty"),
    ("\n  \n", r": no tasks \(the file is empty"),
    (json.dumps({"id": "a", "tests": "x"}) + "\n", r":1: field 'prompt' is missing"),
    (json.dumps({"id": "a", "prompt": 5, "tests": "x"}) + "\n", r":1: field 'prompt' must be a non-empty string, got number"),
    (json.dumps({"id": "a", "prompt": "p", "tests": "x", "reference": ["r"]}) + "\n", r":1: field 'reference' must be a string, got array"),
    (json.dumps({"id": "a", "prompt": "p", "tests": "x", "split": "test"}) + "\n", r":1: field 'split' is 'test'"),
    (GOOD_LINE + "\n{not json\n", r":2: not valid JSON"),
])
def test_bad_task_file_is_a_one_line_error(tmp_path, content, expected):
    path = tmp_path / "tasks.jsonl"
    path.write_text(content)
    with pytest.raises(TaskFileError, match=re.escape(str(path)) + expected) as err:
        load_tasks(path)
    assert "\n" not in str(err.value)


def test_non_utf8_task_file_names_the_line(tmp_path):
    path = tmp_path / "tasks.jsonl"
    path.write_bytes(GOOD_LINE.encode() + b"\n" + b'{"id": "b\xff"}\n')
    with pytest.raises(TaskFileError, match=re.escape(f"{path}:2: not UTF-8")):
        load_tasks(path)


def test_asking_for_a_split_the_file_lacks_is_an_error(tmp_path):
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps({"id": "a", "prompt": "p", "tests": "t", "split": "eval"}) + "\n")
    assert [t.id for t in load_tasks(path, split="eval")] == ["a"]
    with pytest.raises(TaskFileError, match=r"no tasks with split 'train' \(the file has \['eval'\]\)"):
        load_tasks(path, split="train")


@pytest.mark.parametrize("completion,kept", [
    ("\n        return 1;\n    \\u007d\n    static int x = 1;\n    void f() \\u007b\n    }\n}\n", "\n        return 1;\n    }"),
    ("\n        return 1; // \\u000a }\n    static int x = 1;\n    void f() { // \\u000a {\n    }\n}\n",
     "\n        return 1; // \n }"),
    ("\n        return 1; // \r    }\n    static int x = 1;\n    void f() { // \r {\n    }\n}\n", "\n        return 1; // \r    }"),
    ('\n        String s = """\n            {\n            """;\n        return 1;\n    }\n    void f() {\n    }\n}\n',
     '\n        String s = """\n            {\n            """;\n        return 1;\n    }'),
    ('\n        String s = "\\\\u007d";\n        return 1;\n    }\n}\n', '\n        String s = "\\\\u007d";\n        return 1;\n    }'),
    ("\n        char q = '\\u005c''; return 1; } int x; int g() { //'\n        return 1;\n    }\n}\n",
     "\n        char q = '\\u005c''; return 1; }"),
    # javac: \u005c yields a backslash that pairs with the raw one after it, so the next \u000a ends the comment
    ("\n        return 1; // \\u005c\\\\u000a } int x; void g() {\n    }\n}\n", "\n        return 1; // \\u005c\\\\u000a }"),
    ("\n        return 1;\n    \\u007\uff44 int x; void g() {\n    }\n}\n", "\n        return 1;\n    \\u007\uff44"),  # fullwidth d
    # javac looks past a lone high surrogate for its low half and keeps that read's backslash state
    ("\n        return 1; // \\uD800\\\\u000a } int x; void g() {\n    }\n}\n", "\n        return 1; // \\uD800\\\\u000a }"),
    # a raw one reaches javac as U+FFFD (UTF-8 has no lone surrogates), past which javac does not look
    ("\n        return 1; // \ud800\\\\u000a } int x; void g() {\n    }\n}\n",
     "\n        return 1; // \ufffd\\\\u000a } int x; void g() {\n    }"),
], ids=["escaped_braces", "escaped_newline_in_comment", "lone_carriage_return", "text_block", "escaped_backslash",
        "backslash_escape_in_a_char_literal", "escaped_backslash_pairs", "fullwidth_hex_digit", "lone_high_surrogate",
        "raw_lone_surrogate"])
def test_the_cut_closes_the_method_where_javac_does(completion, kept):
    task = Task(id="t", prompt="class C {\n    int f() {", tests="")
    assert cut_completion(task, completion) == kept + "\n}"
