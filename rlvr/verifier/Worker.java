/*
 * rlvr warm verifier worker: one JVM that compiles and tests many untrusted Java programs.
 *
 * Started by rlvr/verifier/java.py as
 *   java [flags] -cp CACHE Worker COMPILE_MS RUN_MS OUTPUT_LIMIT THREADS MEMORY_BYTES FLOOR_MS MULTIPLE STOP(0|1)
 * Protocol (UTF-8 lines on the real stdin/stdout; program output never reaches them):
 *   request  ID \t NONCE \t SOLUTION_FILE \t base64(solution unit) \t base64(test unit) \t base64(reference unit or "")
 *   reply    NONCE \t ID \t STATUS \t COMPILED(0|1) \t PASSED \t TOTAL \t MILLIS \t RETRY(0|1) \t base64(error)
 *   first line written: READY \t sm=0|1 \t java=VERSION
 * RETRY=1 means the verdict may be collateral damage (another program exhausted the shared heap
 * while this one ran): the pool re-runs it. After replying, a worker that could not stop a
 * program's threads halts itself; the pool restarts it and re-runs what it held.
 *
 * Per task (once per worker, cached): the test unit compiled against the reference solution, and
 * the reference run once to calibrate the task's CPU limit = max(FLOOR_MS, MULTIPLE x its CPU time),
 * at most RUN_MS. Per program: in-memory javac of the solution unit alone, linked to the cached test
 * classes (whose bytecode names the exact members the prompt declares, so a completion that changes
 * the class's API fails at link time instead of being called); a bytecode allow-list (Scan) on the
 * program's own classes; a fresh ClassLoader (static state dies with it) whose classes carry an empty
 * ProtectionDomain; a thread in its own ThreadGroup watched by a watchdog that stops it past its CPU
 * limit (timeout), past MEMORY_BYTES allocated (memory_limit) or past RUN_MS wall clock (timeout).
 * Stopping uses Thread.stop where it exists and STOP=1; otherwise (JDK 20+, STOP=0) the worker
 * replies, then halts, and the pool restarts it and re-runs the programs it held. A SecurityManager,
 * where the JDK has one, denies program code the same things again (stack inspection). See the
 * docstring of rlvr/verifier/sandbox.py for what is and is not covered.
 */
import java.io.*;
import java.lang.reflect.*;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.management.ManagementFactory;
import java.util.regex.*;
import javax.tools.*;

@SuppressWarnings({"removal", "deprecation"})
public final class Worker {
    static long compileMs, runMs, memoryBytes, floorMs;
    static double multiple;
    static boolean stopThreads;
    static int outputLimit;
    static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final Set<Run> RUNNING = ConcurrentHashMap.newKeySet();  // what the watchdog watches
    static final ConcurrentHashMap<String, FutureTask<TaskUnit>> TASKS = new ConcurrentHashMap<>();  // tests + limit per task
    static final ThreadGroup SANDBOX = new ThreadGroup("rlvr-sandbox");
    static final ThreadLocal<Boolean> TRUSTED = new ThreadLocal<>();  // worker's own threads only
    static final InheritableThreadLocal<Capture> CAPTURE = new InheritableThreadLocal<>();
    static final InheritableThreadLocal<ThreadGroup> OWN_GROUP = new InheritableThreadLocal<>();  // a program's group
    static final AtomicLong OOMS = new AtomicLong();  // OutOfMemoryErrors seen in program threads
    static final LinkedBlockingQueue<StandardJavaFileManager> MANAGERS = new LinkedBlockingQueue<>();
    static final List<String> JAVAC_OPTS = List.of("-proc:none", "-g:source,lines", "-nowarn", "-Xlint:none", "-implicit:none");
    static final ProtectionDomain PROGRAM_DOMAIN;
    static {
        Permissions perms = new Permissions();
        perms.add(new PropertyPermission("*", "read"));
        perms.setReadOnly();
        PROGRAM_DOMAIN = new ProtectionDomain(new CodeSource(null, (java.security.cert.Certificate[]) null), perms);
    }
    static PrintStream proto;
    static JavaCompiler javac;

    public static void main(String[] args) throws Exception {
        compileMs = Long.parseLong(args[0]);
        runMs = Long.parseLong(args[1]);
        outputLimit = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        memoryBytes = Long.parseLong(args[4]);
        floorMs = Long.parseLong(args[5]);
        multiple = Double.parseDouble(args[6]);
        stopThreads = args[7].equals("1");
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        Thread watchdog = new Thread(Worker::watch, "rlvr-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        TRUSTED.set(true);
        proto = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(FileDescriptor.in), StandardCharsets.UTF_8));
        // programs see an empty stdin and a per-program capture as stdout/stderr
        System.setIn(new ByteArrayInputStream(new byte[0]));
        PrintStream router = new PrintStream(new Router(), false, StandardCharsets.UTF_8);
        System.setOut(router);
        System.setErr(router);
        javac = ToolProvider.getSystemJavaCompiler();
        for (int i = 0; i < 3; i++) warmUp();
        boolean sm = installSecurityManager();
        ExecutorService handlers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(() -> { TRUSTED.set(true); r.run(); }, "rlvr-handler");
            t.setDaemon(true);
            return t;
        });
        reply("READY\tsm=" + (sm ? 1 : 0) + "\tjava=" + Runtime.version());
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (OutOfMemoryError e) {
                System.gc();
                continue;
            }
            if (line == null) Runtime.getRuntime().halt(0);  // parent gone: die with it
            final String request = line;
            handlers.execute(() -> handle(request));
        }
    }

    static void reply(String line) {
        synchronized (proto) {
            proto.print(line);
            proto.print('\n');
            proto.flush();
        }
    }

    static void warmUp() throws Exception {
        String sol = "class Solution { int add(int a, int b) { return a + b; } }";
        String test = "public class Main { static void testAdd() { assert new Solution().add(1, 2) == 3; }"
                + " public static void main(String[] a) { testAdd(); } }";
        verify("Solution.java", sol, test, sol);
    }

    // ---------------------------------------------------------------- one request

    static final class Result {
        String status, error = "";
        boolean compiled, retry, wedged;
        int passed, total;
        long cpuNs;
        Result(String status, boolean compiled) { this.status = status; this.compiled = compiled; }
    }

    static void handle(String line) {
        String[] f = line.split("\t", -1);
        long t0 = System.nanoTime();
        Result r;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            r = verify(f[2], new String(b64.decode(f[3]), StandardCharsets.UTF_8), new String(b64.decode(f[4]), StandardCharsets.UTF_8),
                       new String(b64.decode(f[5]), StandardCharsets.UTF_8));
        } catch (OutOfMemoryError e) {
            System.gc();
            r = new Result("sandbox_error", false);
            r.error = "worker ran out of memory";
            r.retry = true;
        } catch (Throwable e) {
            r = new Result("sandbox_error", false);
            r.error = "worker: " + describe(e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String err = Base64.getEncoder().encodeToString(clip(r.error, 300).getBytes(StandardCharsets.UTF_8));
        reply(f[1] + "\t" + f[0] + "\t" + r.status + "\t" + (r.compiled ? 1 : 0) + "\t" + r.passed + "\t" + r.total
                + "\t" + ms + "\t" + (r.retry ? 1 : 0) + "\t" + err);
        if (r.wedged) Runtime.getRuntime().halt(3);  // a thread we cannot stop: the pool restarts us
    }

    /** A task's test unit compiled once against its reference, and its calibrated CPU limit. */
    static final class TaskUnit {
        final Map<String, byte[]> testClasses;  // null: no usable reference, compile the tests with each program
        final long cpuLimitNs;
        final String limitNote;
        TaskUnit(Map<String, byte[]> testClasses, long cpuLimitNs, String limitNote) {
            this.testClasses = testClasses;
            this.cpuLimitNs = cpuLimitNs;
            this.limitNote = limitNote;
        }
    }

    static TaskUnit taskUnit(String solutionFile, String tests, String reference) throws Exception {
        String key = solutionFile + '\0' + tests + '\0' + reference;
        FutureTask<TaskUnit> build = new FutureTask<>(() -> buildTaskUnit(solutionFile, tests, reference));
        FutureTask<TaskUnit> first = TASKS.putIfAbsent(key, build);
        if (first == null) {  // ours to build; the task's other programs wait for it
            first = build;
            build.run();
        }
        try {
            return first.get();
        } catch (ExecutionException e) {
            TASKS.remove(key, first);
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }

    static TaskUnit buildTaskUnit(String solutionFile, String tests, String reference) throws Exception {
        TaskUnit flat = new TaskUnit(null, runMs * 1_000_000L, "");
        if (reference.isEmpty() || tests.isBlank()) return flat;
        Compilation joint = compile(solutionFile, reference, tests), alone = compile(solutionFile, reference, "");
        if (joint == null || joint.error != null || alone == null || alone.error != null) return flat;
        Map<String, byte[]> testClasses = new HashMap<>();
        for (String name : joint.testClasses) testClasses.put(name, joint.classes.get(name));
        Map<String, byte[]> classes = new HashMap<>(alone.classes);
        classes.putAll(testClasses);
        Result r = execute(classes, testClasses.keySet(), testPackage(tests), tests, runMs * 1_000_000L, "");
        if (!r.status.equals("pass")) return new TaskUnit(testClasses, runMs * 1_000_000L, "");
        long limit = Math.min(runMs * 1_000_000L, Math.max(floorMs * 1_000_000L, (long) (multiple * r.cpuNs)));
        return new TaskUnit(testClasses, limit, String.format(Locale.ROOT, " (%.0fx the reference's %.3f s, floor %.2f s)",
                multiple, r.cpuNs / 1e9, floorMs / 1000.0));
    }

    /** javac in a thread we can abandon; null if it timed out (the caller reports it). */
    static Compilation compile(String solutionFile, String solution, String tests) throws Exception {
        Compilation c = new Compilation(solutionFile, solution, tests);
        Thread ct = new Thread(null, () -> { TRUSTED.set(true); c.run(); }, "rlvr-javac", 16L << 20);
        ct.setDaemon(true);
        ct.start();
        ct.join(compileMs);
        if (ct.isAlive()) {
            COMPILE_WEDGED.set(!stopAll(List.of(ct), null, 1000));
            return null;
        }
        if (c.failure != null) throw c.failure;
        return c;
    }

    static final ThreadLocal<Boolean> COMPILE_WEDGED = ThreadLocal.withInitial(() -> false);

    static String testPackage(String tests) {
        Matcher m = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE).matcher(tests);
        return m.find() ? m.group(1) + "." : "";
    }

    static Result verify(String solutionFile, String solution, String tests, String reference) throws Exception {
        // 1. compile the solution unit alone against the task's cached test classes (or both units, without a reference)
        TaskUnit unit = taskUnit(solutionFile, tests, reference);
        boolean separate = unit.testClasses != null;
        COMPILE_WEDGED.set(false);
        Compilation c = compile(solutionFile, solution, separate ? "" : tests);
        if (c == null) {
            Result r = new Result("timeout", false);
            r.error = "compilation timed out after " + compileMs / 1000.0 + " s";
            r.wedged = COMPILE_WEDGED.get();
            return r;
        }
        if (c.error != null) {
            Result r = new Result("compile_error", false);
            r.error = c.error;
            return r;
        }
        if (tests.isBlank()) return new Result("compiled", true);  // nothing to run
        Map<String, byte[]> classes = new HashMap<>(c.classes);
        Set<String> testClasses = separate ? unit.testClasses.keySet() : c.testClasses;
        Set<String> programClasses = new HashSet<>(c.classes.keySet());
        programClasses.removeAll(testClasses);
        if (separate) {
            for (String name : unit.testClasses.keySet()) {
                if (classes.containsKey(name)) {
                    Result r = new Result("compile_error", false);
                    r.error = solutionFile + ": error: duplicate class: " + name + " (the tests' class)";
                    return r;
                }
            }
            classes.putAll(unit.testClasses);
        }
        // 2. the allow-list: the program's own classes may reference only what Scan allows
        List<byte[]> programBytes = new ArrayList<>();
        for (String name : programClasses) programBytes.add(classes.get(name));
        String forbidden = Scan.forbidden(programBytes, classes.keySet());
        if (forbidden != null) {
            Result r = new Result("runtime_error", true);
            r.error = "forbidden API: " + forbidden;
            return r;
        }
        return execute(classes, testClasses, testPackage(tests), tests, unit.cpuLimitNs, unit.limitNote);
    }

    /** Load the classes in a fresh loader and run the tests under the watchdog. */
    static Result execute(Map<String, byte[]> classes, Set<String> testClasses, String testPackage, String tests,
                          long cpuLimitNs, String limitNote) throws Exception {
        MemLoader loader = new MemLoader(classes);
        Class<?> main;
        try {
            main = Class.forName(testPackage + "Main", false, loader);
        } catch (ClassNotFoundException e) {
            Result r = new Result("runtime_error", true);
            r.error = "the tests declare no class Main";
            return r;
        }
        List<Method> testMethods = findTests(main, tests);
        Result r = new Result("pass", true);
        r.total = Math.max(1, testMethods.size());
        ThreadGroup group = new ThreadGroup(SANDBOX, "program");
        Run run = new Run(main, testMethods, group, cpuLimitNs);
        group.setDaemon(true);
        Thread pt = new Thread(group, run, "main", 0);
        pt.setContextClassLoader(loader);
        long oomsBefore = OOMS.get();
        RUNNING.add(run);
        pt.start();
        boolean ended = run.finished.await(runMs, TimeUnit.MILLISECONDS);
        String exceeded = run.end(null);  // whatever ended it first; from now on nothing counts
        RUNNING.remove(run);
        if (run.done) pt.join(1000);  // it is only returning
        List<Thread> leftovers = threadsOf(group);
        r.wedged = !leftovers.isEmpty() && !stopAll(leftovers, group, 1000);
        r.passed = run.passed;
        r.cpuNs = run.cpuNs;
        if (!ended || "timeout".equals(exceeded)) {
            r.status = "timeout";
            r.error = (ended ? "timed out: over its CPU limit of " + String.format(Locale.ROOT, "%.2f", cpuLimitNs / 1e9) + " s" + limitNote
                       : "timed out after " + runMs / 1000.0 + " s") + (run.current == null ? "" : " in " + run.current);
        } else if ("memory_limit".equals(exceeded) || run.oom) {
            r.status = "memory_limit";
            r.error = run.oom ? "OutOfMemoryError: Java heap space" : "allocated over its memory limit of " + (memoryBytes >> 20) + " MB";
        } else if (run.failure != null || run.passed < r.total) {
            Throwable t = run.failure;
            r.status = t != null && isTestFailure(t, testClasses) ? "test_failure" : "runtime_error";
            r.error = (run.current == null ? "" : run.current + ": ") + describe(t) + where(t, testClasses) + run.capture.firstLine();
        }
        long oomsDuring = OOMS.get() - oomsBefore - (run.oom ? 1 : 0);
        if (oomsDuring > 0 && !r.status.equals("pass")) {
            r.retry = true;  // another program filled the shared heap while we ran
            System.gc();
        } else if (run.oom) {
            System.gc();
        }
        return r;
    }

    /** Every few ms: a running program over its CPU limit is a timeout, over its allocation limit a memory_limit. */
    static void watch() {
        TRUSTED.set(true);
        while (true) {
            for (Run run : RUNNING) {
                long cpu = 0, allocated = 0;
                for (Thread t : threadsOf(run.group)) {
                    cpu += Math.max(0, THREADS.getThreadCpuTime(t.getId()));
                    allocated += Math.max(0, THREADS.getThreadAllocatedBytes(t.getId()));
                }
                if (allocated > memoryBytes) run.end("memory_limit");
                else if (cpu > run.cpuLimitNs) run.end("timeout");
            }
            try { Thread.sleep(5); } catch (InterruptedException e) { return; }
        }
    }

    static List<Method> findTests(Class<?> main, String testSource) {
        List<String> order = new ArrayList<>();
        Matcher m = Pattern.compile("void\\s+(test\\w*)\\s*\\(").matcher(testSource);
        while (m.find()) order.add(m.group(1));
        List<Method> tests = new ArrayList<>();
        for (Method method : main.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 0 && method.getName().startsWith("test")) {
                method.setAccessible(true);
                tests.add(method);
            }
        }
        tests.sort(Comparator.comparingInt((Method t) -> order.indexOf(t.getName()) < 0 ? Integer.MAX_VALUE : order.indexOf(t.getName()))
                .thenComparing(Method::getName));
        return tests;
    }

    /** AssertionError anywhere, or any exception thrown by the tests' own code, means "wrong answer". */
    static boolean isTestFailure(Throwable t, Set<String> testClasses) {
        if (t instanceof AssertionError) return true;
        StackTraceElement[] st = t.getStackTrace();
        return st.length > 0 && testClasses.contains(st[0].getClassName());
    }

    static String where(Throwable t, Set<String> testClasses) {
        if (t == null) return "";
        for (StackTraceElement e : t.getStackTrace()) {
            if (testClasses.contains(e.getClassName()) && e.getLineNumber() > 0) return " (at " + e.getFileName() + ":" + e.getLineNumber() + ")";
        }
        return "";
    }

    static String describe(Throwable t) {
        if (t == null) return "tests did not pass";
        while ((t instanceof ExceptionInInitializerError || t instanceof InvocationTargetException) && t.getCause() != null) t = t.getCause();
        String msg = t.getMessage();
        String s = t.getClass().getName() + (msg == null ? "" : ": " + msg);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String clip(String s, int n) { return s.length() <= n ? s : s.substring(0, n - 3) + "..."; }

    // ---------------------------------------------------------------- compile

    static final class Compilation implements Runnable {
        final String solutionFile, solution, tests;
        final Map<String, byte[]> classes = new ConcurrentHashMap<>();
        final Set<String> testClasses = ConcurrentHashMap.newKeySet();
        String error;
        Exception failure;

        Compilation(String solutionFile, String solution, String tests) {
            this.solutionFile = solutionFile;
            this.solution = solution;
            this.tests = tests;
        }

        public void run() {
            StandardJavaFileManager std = MANAGERS.poll();
            try {
                if (std == null) {
                    std = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
                    std.setLocation(StandardLocation.CLASS_PATH, List.of());  // never see the worker's own classes
                    std.setLocation(StandardLocation.SOURCE_PATH, List.of());
                }
                Source sol = new Source(solutionFile, solution), test = new Source("Main.java", tests);
                List<Source> units = tests.isBlank() ? List.of(sol) : List.of(sol, test);
                DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
                MemFileManager fm = new MemFileManager(std, classes, testClasses, test);
                boolean ok = javac.getTask(null, fm, diags, JAVAC_OPTS, null, units).call();
                if (!ok) error = firstError(diags);
                MANAGERS.add(std);  // reused only after a compilation that finished
            } catch (Exception e) {
                failure = e;
            }
        }

        static String firstError(DiagnosticCollector<JavaFileObject> diags) {
            for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) continue;
                String file = d.getSource() == null ? "" : d.getSource().getName().replaceFirst("^/", "");
                String msg = d.getMessage(Locale.ROOT);
                int nl = msg.indexOf('\n');
                return file + ":" + d.getLineNumber() + ": error: " + (nl < 0 ? msg : msg.substring(0, nl));
            }
            return "compilation failed";
        }
    }

    static final class Source extends SimpleJavaFileObject {
        final String code;
        Source(String name, String code) { super(URI.create("string:///" + name), Kind.SOURCE); this.code = code; }
        @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) { return code; }
    }

    static final class MemFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
        final Map<String, byte[]> classes;
        final Set<String> testClasses;
        final Source testSource;

        MemFileManager(StandardJavaFileManager std, Map<String, byte[]> classes, Set<String> testClasses, Source testSource) {
            super(std);
            this.classes = classes;
            this.testClasses = testClasses;
            this.testSource = testSource;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            if (sibling == testSource || (sibling != null && sibling.toUri().equals(testSource.toUri()))) testClasses.add(className);
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                @Override public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override public void close() { classes.put(className, toByteArray()); }
                    };
                }
            };
        }
    }

    static final class MemLoader extends ClassLoader {
        final Map<String, byte[]> classes;

        MemLoader(Map<String, byte[]> classes) {
            super("rlvr-program", ClassLoader.getPlatformClassLoader());  // the worker's classes stay invisible
            this.classes = classes;
            setDefaultAssertionStatus(true);  // like `java -ea`
        }

        @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length, PROGRAM_DOMAIN);
        }
    }

    // ---------------------------------------------------------------- run

    static final class Run implements Runnable {
        final Class<?> main;
        final List<Method> tests;
        final Capture capture = new Capture(outputLimit);
        final ThreadGroup group;
        final long cpuLimitNs;
        final CountDownLatch finished = new CountDownLatch(1);
        volatile int passed;
        volatile boolean oom, stopping, done;
        volatile Throwable failure;
        volatile String current, exceeded;
        volatile long cpuNs;

        Run(Class<?> main, List<Method> tests, ThreadGroup group, long cpuLimitNs) {
            this.main = main;
            this.tests = tests;
            this.group = group;
            this.cpuLimitNs = cpuLimitNs;
        }

        /** The first call decides how the run ended: null = it finished (or the caller gives up waiting). */
        synchronized String end(String why) {
            if (!stopping) {
                stopping = true;
                exceeded = why;
                done = why == null && Thread.currentThread().getThreadGroup() == group;
                finished.countDown();
            }
            return exceeded;
        }

        public void run() {
            CAPTURE.set(capture);
            OWN_GROUP.set(group);
            try {
                if (tests.isEmpty()) {
                    Method m = main.getDeclaredMethod("main", String[].class);
                    m.setAccessible(true);
                    invoke(m, (Object) new String[0]);
                } else {
                    for (Method m : tests) {
                        if (stopping) return;
                        current = m.getName();
                        invoke(m);
                    }
                    current = null;
                }
            } catch (Throwable t) {
                record(t);
            } finally {
                cpuNs = THREADS.getCurrentThreadCpuTime();
                end(null);
            }
        }

        void invoke(Method m, Object... args) {
            try {
                m.invoke(null, args);
                if (!stopping) passed++;
            } catch (InvocationTargetException e) {
                record(e.getCause());
            } catch (Throwable t) {
                record(t);
            }
        }

        void record(Throwable t) {
            if (stopping) return;
            if (t instanceof OutOfMemoryError) {
                oom = true;
                OOMS.incrementAndGet();
            }
            if (failure == null) failure = t;
        }
    }

    static List<Thread> threadsOf(ThreadGroup g) {
        Thread[] ts = new Thread[g.activeCount() + 16];
        int n = g.enumerate(ts, true);
        List<Thread> alive = new ArrayList<>();
        for (int i = 0; i < n; i++) if (ts[i].isAlive()) alive.add(ts[i]);
        return alive;
    }

    /** Thread.stop (Java <= 19) until `threads` (and, with a group, its newer threads) are gone; false if some survive graceMs. */
    @SuppressWarnings("deprecation")
    static boolean stopAll(List<Thread> threads, ThreadGroup group, long graceMs) {
        if (!stopThreads) return false;  // as on JDK 20+: the pool restarts this worker
        long deadline = System.nanoTime() + graceMs * 1_000_000;
        while (true) {
            if (group != null) threads = threadsOf(group);  // threads spawned meanwhile too
            boolean alive = false;
            for (Thread t : threads) {
                if (!t.isAlive()) continue;
                alive = true;
                try {
                    t.stop();
                } catch (UnsupportedOperationException e) {
                    return false;  // JDK 20+: only killing the JVM stops a thread
                }
            }
            if (!alive) return true;
            if (System.nanoTime() > deadline) return false;
            try { Thread.sleep(5); } catch (InterruptedException e) { return false; }
        }
    }

    // ---------------------------------------------------------------- output capture

    /** System.out/err for everyone: program threads write into their own capped Capture, the rest is dropped. */
    static final class Router extends OutputStream {
        @Override public void write(int b) { Capture c = CAPTURE.get(); if (c != null) c.add(new byte[] {(byte) b}, 0, 1); }
        @Override public void write(byte[] b, int off, int len) { Capture c = CAPTURE.get(); if (c != null) c.add(b, off, len); }
    }

    static final class Capture {
        final byte[] buf;
        int n;

        Capture(int limit) { buf = new byte[Math.max(0, limit)]; }

        synchronized void add(byte[] b, int off, int len) {
            int k = Math.min(len, buf.length - n);  // past the limit output is discarded, not an error
            if (k > 0) { System.arraycopy(b, off, buf, n, k); n += k; }
        }

        synchronized String firstLine() {
            String s = new String(buf, 0, Math.min(n, 200), StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            s = nl < 0 ? s : s.substring(0, nl);
            return s.isEmpty() ? "" : " | output: " + s;
        }
    }

    // ---------------------------------------------------------------- security manager

    static boolean installSecurityManager() {
        try {
            // Everything but program classes (static PROGRAM_DOMAIN) is trusted.
            Policy.setPolicy(new Policy() {
                @Override public boolean implies(ProtectionDomain domain, Permission permission) { return true; }
            });
            System.setSecurityManager(new Guard());
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;  // JDK 24+: the bytecode scan, thread groups and the OS sandbox remain
        }
    }

    static final class Guard extends SecurityManager {
        static final Permission MODIFY_THREAD = new RuntimePermission("modifyThread");
        static final Permission MODIFY_GROUP = new RuntimePermission("modifyThreadGroup");

        static boolean trusted() { return TRUSTED.get() == Boolean.TRUE; }

        /** The calling program thread's own group, or null. (No getParent(): it calls checkAccess.) */
        static ThreadGroup programGroup() {
            ThreadGroup own = OWN_GROUP.get();
            return own != null && own.parentOf(Thread.currentThread().getThreadGroup()) ? own : null;
        }

        @Override public void checkPermission(Permission p) { if (!trusted()) AccessController.checkPermission(p); }
        @Override public void checkPermission(Permission p, Object context) { if (!trusted()) super.checkPermission(p, context); }

        @Override public void checkAccess(Thread t) {
            if (trusted()) return;
            ThreadGroup own = programGroup();
            if (own == null) AccessController.checkPermission(MODIFY_THREAD);
            else if (t.getThreadGroup() == null || !own.parentOf(t.getThreadGroup())) throw new SecurityException("program may not touch thread " + t.getName());
        }

        @Override public void checkAccess(ThreadGroup g) {
            if (trusted()) return;
            ThreadGroup own = programGroup();
            if (own == null) AccessController.checkPermission(MODIFY_GROUP);
            else if (!own.parentOf(g)) throw new SecurityException("program may not touch thread group " + g.getName());
            else if (own.activeCount() >= 1) throw new SecurityException("program may not start threads");
        }
    }

    // ---------------------------------------------------------------- bytecode allow-list

    /**
     * Constant-pool allow-list: a program's classes may reference only their own classes and the JDK
     * classes and members below; everything else is refused before anything runs. Every class a
     * program uses (new, static call, field, cast, super class, class literal) and every member it
     * calls or method-references (also lambda bodies and invokedynamic bootstrap methods, which the
     * pool names as MethodHandle -> Methodref entries) is such an entry. There is no reflection
     * (java.lang.reflect, Class.forName/getMethod/..., MethodHandles are not allowed), so a class
     * name built from strings at run time reaches nothing. Threads cannot be created (Thread.<init>,
     * executors, timers, parallel streams are not allowed), System/Runtime/Process/files/sockets/
     * Unsafe/environment/properties are out of reach, and no JDK-global default can be changed.
     */
    static final class Scan {
        static final String[] PACKAGES = {"java/util/", "java/math/", "java/text/", "java/time/",
            "java/lang/invoke/", "java/lang/runtime/", "java/lang/annotation/"};
        static final String[] DENIED_PREFIXES = {"java/util/ServiceLoader", "java/util/Timer", "java/util/prefs/",
            "java/util/logging/", "java/util/jar/", "java/util/zip/", "java/util/spi/", "java/util/ResourceBundle",
            "java/util/PropertyResourceBundle", "java/util/ListResourceBundle", "java/util/concurrent/Executor",
            "java/util/concurrent/ForkJoin", "java/util/concurrent/CompletableFuture", "java/util/concurrent/ThreadPoolExecutor",
            "java/util/concurrent/ScheduledThreadPoolExecutor", "java/util/concurrent/ThreadFactory",
            "java/util/concurrent/ExecutorCompletionService", "java/util/concurrent/Flow", "java/util/concurrent/SubmissionPublisher",
            "java/time/zone/", "java/text/spi/"};
        static final Set<String> LANG = Set.of("Object", "String", "StringBuilder", "StringBuffer", "Math", "StrictMath",
            "Integer", "Long", "Short", "Byte", "Character", "Boolean", "Double", "Float", "Number", "Void", "Comparable",
            "CharSequence", "Iterable", "AutoCloseable", "Cloneable", "Enum", "Record", "Override", "Deprecated",
            "SuppressWarnings", "FunctionalInterface", "SafeVarargs", "Runnable", "Appendable", "Readable", "System",
            "Thread", "Thread$State", "Class", "ThreadLocal", "Throwable", "StackTraceElement");
        static final Set<String> NESTED_OK = Set.of("Character", "Integer", "Long", "Short", "Byte", "Double", "Float",
            "Boolean", "String", "Enum", "Record");
        static final Set<String> IO = Set.of("Serializable", "IOException", "UncheckedIOException", "EOFException",
            "Closeable", "Flushable", "PrintStream", "PrintWriter", "InputStream", "OutputStream", "Reader", "Writer",
            "BufferedReader", "BufferedWriter", "InputStreamReader", "OutputStreamWriter", "StringReader", "StringWriter",
            "ByteArrayInputStream", "ByteArrayOutputStream", "CharArrayReader", "CharArrayWriter");
        static final Set<String> NIO = Set.of("charset/StandardCharsets", "charset/Charset", "Buffer", "ByteBuffer",
            "CharBuffer", "IntBuffer", "LongBuffer", "ShortBuffer", "FloatBuffer", "DoubleBuffer", "ByteOrder",
            "BufferUnderflowException", "BufferOverflowException");
        static final Set<String> SECURITY = Set.of("MessageDigest", "NoSuchAlgorithmException", "GeneralSecurityException");
        /** Owners whose members are allowed only as listed (invoke/runtime: only javac's bootstrap methods). */
        static final Map<String, Set<String>> ONLY = Map.of(
            "java/lang/System", Set.of("out", "err", "in", "currentTimeMillis", "nanoTime", "arraycopy", "identityHashCode",
                                       "lineSeparator"),
            "java/lang/Thread", Set.of("currentThread", "sleep", "onSpinWait", "yield", "interrupted", "isInterrupted",
                                       "getName", "getId", "threadId", "getStackTrace", "interrupt", "isAlive"),
            "java/lang/Class", Set.of("getName", "getSimpleName", "getTypeName", "getCanonicalName", "isInstance", "cast",
                                      "isArray", "desiredAssertionStatus", "getComponentType", "isAssignableFrom", "isEnum",
                                      "isInterface", "isPrimitive", "isRecord", "hashCode", "equals", "toString"),
            "java/lang/invoke/LambdaMetafactory", Set.of("metafactory", "altMetafactory"),
            "java/lang/invoke/StringConcatFactory", Set.of("makeConcatWithConstants", "makeConcat"),
            "java/lang/runtime/ObjectMethods", Set.of("bootstrap"),
            "java/lang/runtime/SwitchBootstraps", Set.of("typeSwitch", "enumSwitch"));
        static final Set<String> DENIED_NAMES = Set.of("parallel", "parallelStream", "parallelSort", "parallelSetAll",
            "parallelPrefix", "setDefault");
        static final Set<String> DENIED_MEMBERS = Set.of("java/lang/Integer.getInteger", "java/lang/Long.getLong",
            "java/lang/Boolean.getBoolean", "java/io/PrintStream.close", "java/io/PrintWriter.close");
        static final String[] DENIED_SIGNATURES = {"java/io/PrintStream.<init>(Ljava/lang/String;",
            "java/io/PrintWriter.<init>(Ljava/lang/String;"};  // these open files by name

        static boolean classAllowed(String name, Set<String> own) {
            if (own.contains(name) || name.length() == 1) return true;  // the program's own, or a primitive array
            if (name.startsWith("java/lang/") && name.indexOf('/', 10) < 0) {
                String simple = name.substring(10);
                int dollar = simple.indexOf('$');
                if (LANG.contains(simple)) return true;
                if (dollar > 0 && NESTED_OK.contains(simple.substring(0, dollar))) return true;
                return dollar < 0 && (simple.endsWith("Exception") || simple.endsWith("Error")) && !simple.equals("ThreadDeath");
            }
            if (name.startsWith("java/io/")) return IO.contains(name.substring(8));
            if (name.startsWith("java/nio/")) return NIO.contains(name.substring(9));
            if (name.startsWith("java/security/")) return SECURITY.contains(name.substring(14));
            for (String denied : DENIED_PREFIXES) if (name.startsWith(denied)) return false;
            for (String p : PACKAGES) if (name.startsWith(p)) return true;
            return false;
        }

        static String memberDenied(String owner, String name, String descriptor, Set<String> own) {
            String member = owner + "." + name;
            if (own.contains(owner)) return null;
            if (!classAllowed(owner, own)) return member;
            Set<String> only = ONLY.get(owner);
            if (only != null && !only.contains(name)) return member;
            if (only == null && (owner.startsWith("java/lang/invoke/") || owner.startsWith("java/lang/runtime/"))) return member;
            if (DENIED_NAMES.contains(name) || DENIED_MEMBERS.contains(member)) return member;
            for (String sig : DENIED_SIGNATURES) if ((member + descriptor).startsWith(sig)) return member + descriptor;
            return null;
        }

        /** The first thing `classFiles` reference that they may not, as "java.lang.System.exit"; null if none. */
        static String forbidden(Collection<byte[]> classFiles, Set<String> ownBinaryNames) throws IOException {
            Set<String> own = new HashSet<>();
            for (String n : ownBinaryNames) own.add(n.replace('.', '/'));
            for (byte[] b : classFiles) {
                String hit = forbidden(b, own);
                if (hit != null) return hit.replace('/', '.');
            }
            return null;
        }

        static String forbidden(byte[] classFile, Set<String> own) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
            in.skipBytes(8);  // magic, minor, major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classIdx = new int[count], refClass = new int[count], refNat = new int[count], natName = new int[count],
                  natType = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1: utf8[i] = in.readUTF(); break;
                    case 3: case 4: in.skipBytes(4); break;
                    case 5: case 6: in.skipBytes(8); i++; break;
                    case 7: classIdx[i] = in.readUnsignedShort(); break;
                    case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                    case 9: case 10: case 11: refClass[i] = in.readUnsignedShort(); refNat[i] = in.readUnsignedShort(); break;
                    case 12: natName[i] = in.readUnsignedShort(); natType[i] = in.readUnsignedShort(); break;
                    case 15: in.skipBytes(3); break;  // its reference is a Methodref/Fieldref entry, checked below
                    case 17: case 18: in.skipBytes(4); break;  // bootstrap methods are MethodHandle -> Methodref entries
                    default: throw new IOException("bad constant pool tag " + tag);
                }
            }
            for (int i = 1; i < count; i++) {
                if (classIdx[i] != 0) {
                    String name = utf8[classIdx[i]].replaceFirst("^\\[+", "").replaceFirst("^L(.*);$", "$1");
                    if (!classAllowed(name, own)) return name;
                }
                if (refClass[i] != 0) {
                    String owner = utf8[classIdx[refClass[i]]].replaceFirst("^\\[+", "").replaceFirst("^L(.*);$", "$1");
                    String hit = memberDenied(owner, utf8[natName[refNat[i]]], utf8[natType[refNat[i]]], own);
                    if (hit != null) return hit;
                }
            }
            return null;
        }
    }
}
