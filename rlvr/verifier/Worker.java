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
 * classes (so a completion that changes the prompt's API fails at link time), the allow-list
 * (Scan.java), then a run in a fresh ClassLoader under the watchdog (CPU, allocation and wall-clock
 * limits) and, where the JDK has one, the SecurityManager (Guard.java). What each layer covers, on which
 * JDK: the docstring of rlvr/verifier/sandbox.py.
 */
import java.io.*;
import java.lang.reflect.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.management.ManagementFactory;
import java.util.regex.*;

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
    static PrintStream proto;

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
        PrintStream router = new PrintStream(new Router(), false, StandardCharsets.UTF_8) {
            @Override public void close() { flush(); }  // closed through Closeable, it would silence every later program
            // a Formatter per call (PrintStream keeps one, which a Formattable argument closed for every later program)
            @Override public PrintStream format(Locale l, String f, Object... args) { new Formatter((Appendable) this, l).format(f, args); return this; }
            @Override public PrintStream format(String f, Object... args) { return format(Locale.getDefault(Locale.Category.FORMAT), f, args); }
        };
        System.setOut(router);
        System.setErr(router);
        String warmUp = "class Solution { int add(int a, int b) { return a + b; } }";
        for (int i = 0; i < 3; i++) verify("Solution.java", warmUp, "public class Main { static void testAdd() { assert new Solution().add(1, 2) == 3; } }", warmUp);
        boolean sm = installGuard();
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

    static synchronized void reply(String line) { proto.print(line + '\n'); proto.flush(); }

    // ---------------------------------------------------------------- one request

    static final class Result {
        String status, error = "";
        boolean compiled, retry, wedged;  // wedged: restart after replying (a javac thread that would not stop, a poisoned JDK class)
        int passed, total;
        long cpuNs;
        ThreadGroup group;  // the program's threads: those still alive are stopped after the reply
        Result(String status, boolean compiled, String error) { this.status = status; this.compiled = compiled; this.error = error; }
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
            r = new Result("sandbox_error", false, "worker ran out of memory");
            r.retry = true;
        } catch (Throwable e) {
            r = new Result("sandbox_error", false, "worker: " + describe(e));
            r.retry = r.wedged = poisoned(e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String error = r.error.length() <= 300 ? r.error : r.error.substring(0, 297) + "...";
        String err = Base64.getEncoder().encodeToString(error.getBytes(StandardCharsets.UTF_8));
        reply(f[1] + "\t" + f[0] + "\t" + r.status + "\t" + (r.compiled ? 1 : 0) + "\t" + r.passed + "\t" + r.total
                + "\t" + ms + "\t" + (r.retry ? 1 : 0) + "\t" + err);
        // the verdict is out; now stop what the program left running (not on its clock)
        if (r.wedged || (r.group != null && !stopAll(r.group))) {
            Runtime.getRuntime().halt(3);  // a thread we cannot stop: the pool restarts us, re-running our other programs
        }
    }

    /** A task's test classes compiled once against its reference (null: no usable reference, so each
     *  program is compiled with the tests), and its calibrated CPU limit. */
    record TaskUnit(Map<String, byte[]> testClasses, long cpuLimitNs, String limitNote) {}

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
        Javac joint = Javac.compile(solutionFile, reference, tests, compileMs), alone = Javac.compile(solutionFile, reference, "", compileMs);
        if (!joint.ok() || !alone.ok()) return flat;
        Map<String, byte[]> testClasses = new HashMap<>(), trusted = Javac.MemLoader.trustEquals(joint.classes, joint.testClasses);
        for (String name : joint.testClasses) testClasses.put(name, trusted.get(name));
        Map<String, byte[]> classes = new HashMap<>(alone.classes);
        classes.putAll(testClasses);
        TaskUnit untimed = new TaskUnit(testClasses, runMs * 1_000_000L, "");
        if (Scan.forbidden(classes, alone.classes.keySet()) != null) return untimed;  // else, with no SecurityManager, its System.exit kills the worker
        Result r = execute(classes, testClasses.keySet(), testPackage(tests), tests, runMs * 1_000_000L, "");
        if (r.group != null && !stopAll(r.group)) Runtime.getRuntime().halt(3);  // a looping reference
        if (!r.status.equals("pass")) return untimed;
        long limit = Math.min(runMs * 1_000_000L, Math.max(floorMs * 1_000_000L, (long) (multiple * r.cpuNs)));
        return new TaskUnit(testClasses, limit, String.format(Locale.ROOT, " (%.0fx the reference's %.3f s, floor %.2f s)",
                multiple, r.cpuNs / 1e9, floorMs / 1000.0));
    }

    static String testPackage(String tests) {
        Matcher m = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE).matcher(tests);
        return m.find() ? m.group(1) + "." : "";
    }

    static Result verify(String solutionFile, String solution, String tests, String reference) throws Exception {
        // 1. compile the solution unit alone against the task's cached test classes (or both units, without a reference)
        TaskUnit unit = taskUnit(solutionFile, tests, reference);
        boolean separate = unit.testClasses() != null;
        Javac c = Javac.compile(solutionFile, solution, separate ? "" : tests, compileMs);
        if (c.timedOut) {
            Result r = new Result("timeout", false, "compilation timed out after " + compileMs / 1000.0 + " s");
            r.wedged = c.wedged;
            return r;
        }
        if (c.error != null) return new Result("compile_error", false, c.error);
        if (tests.isBlank()) return new Result("compiled", true, "");  // nothing to run
        Set<String> testClasses = separate ? unit.testClasses().keySet() : c.testClasses;
        Map<String, byte[]> classes = new HashMap<>(separate ? c.classes : Javac.MemLoader.trustEquals(c.classes, testClasses));
        Set<String> programClasses = new HashSet<>(c.classes.keySet());
        programClasses.removeAll(testClasses);
        // the scan reads the program's own classes: none means javac took its unit for the tests' (both Main.java)
        if (programClasses.isEmpty()) return new Result("runtime_error", true, "forbidden: the program has no class of its own to check");
        if (separate) {
            for (String name : testClasses) {
                if (classes.containsKey(name)) {
                    return new Result("compile_error", false, solutionFile + ": error: duplicate class: " + name + " (the tests' class)");
                }
            }
            classes.putAll(unit.testClasses());
        }
        // 2. the allow-list: the program's own classes may reference only what Scan allows
        String forbidden = Scan.forbidden(classes, programClasses);
        if (forbidden != null) return new Result("runtime_error", true, "forbidden API: " + forbidden);
        return execute(classes, testClasses, testPackage(tests), tests, unit.cpuLimitNs(), unit.limitNote());
    }

    /** Load the classes in a fresh loader and run the tests under the watchdog. */
    static Result execute(Map<String, byte[]> classes, Set<String> testClasses, String testPackage, String tests,
                          long cpuLimitNs, String limitNote) throws Exception {
        Javac.MemLoader loader = new Javac.MemLoader(classes);
        Class<?> main;
        try {
            main = Class.forName(testPackage + "Main", false, loader);
        } catch (ClassNotFoundException e) {
            return new Result("runtime_error", true, "the tests declare no class Main");
        }
        List<Method> testMethods = findTests(main, tests);
        Result r = new Result("pass", true, "");
        r.total = Math.max(1, testMethods.size());
        ThreadGroup group = new ThreadGroup(SANDBOX, "program");
        Run run = new Run(main, testMethods, testClasses, group, cpuLimitNs);
        group.setDaemon(true);
        Field flag = loader.stopFlag();
        if (flag == null && stopThreads && Javac.MemLoader.INSTRUMENT != null) {  // the Stopper's rewrite threw
            return new Result("runtime_error", true, "the program cannot take the checks that stop it at its limit "
                              + "(a method near 64 KB?): not run");
        }
        if (flag != null) FLAGS.put(group, flag);
        Thread pt = new Thread(group, run, "main", 0);
        pt.setContextClassLoader(loader);
        long oomsBefore = OOMS.get();
        RUNNING.add(run);
        pt.start();
        boolean ended = run.finished.await(runMs, TimeUnit.MILLISECONDS);
        String exceeded = run.end(null);  // whatever ended it first; from now on nothing counts
        RUNNING.remove(run);
        // it is only returning; not pt.join, which waits on pt's lock, and the program can hold that
        for (long until = System.nanoTime() + 1_000_000_000L; run.done && pt.isAlive() && System.nanoTime() < until; ) Thread.yield();
        r.group = group;
        r.passed = run.passed;
        r.cpuNs = run.cpuNs;
        if (!ended || "timeout".equals(exceeded)) {
            r.status = "timeout";
            r.error = (ended ? "timed out: over its CPU limit of " + String.format(Locale.ROOT, "%.2f", cpuLimitNs / 1e9) + " s" + limitNote
                       : "timed out after " + runMs / 1000.0 + " s") + (run.current == null ? "" : " in " + run.current);
        } else if ("memory_limit".equals(exceeded) || run.oom) {
            r.status = "memory_limit";
            r.error = run.oom ? "OutOfMemoryError: Java heap space" : "allocated over its memory limit of " + (memoryBytes >> 20) + " MB";
        } else if (run.failed || run.passed < r.total) {
            r.status = run.testFailure ? "test_failure" : "runtime_error";
            r.error = (run.current == null ? "" : run.current + ": ") + run.failureText + run.capture.firstLine();
        }
        // another program filled the shared heap while we ran: our failure may be collateral, the pool re-runs it
        r.retry = OOMS.get() - oomsBefore - (run.oom ? 1 : 0) > 0 && !r.status.equals("pass") || run.poisonedJdk;
        r.wedged |= run.poisonedJdk;
        if (r.retry || run.oom) System.gc();
        return r;
    }

    /** Every few ms: a running program over its CPU limit is a timeout, over its allocation limit a memory_limit. */
    static void watch() {
        TRUSTED.set(true);
        while (true) {
            try {
                for (Run run : RUNNING) {
                    long cpu = 0, allocated = 0;
                    for (Thread t : threadsOf(run.group)) {
                        cpu += Math.max(0, THREADS.getThreadCpuTime(t.getId()));
                        allocated += Math.max(0, THREADS.getThreadAllocatedBytes(t.getId()));
                    }
                    if (allocated > memoryBytes) run.end("memory_limit");
                    else if (cpu > run.cpuLimitNs) run.end("timeout");
                }
            } catch (OutOfMemoryError e) {  // programs filled the heap mid-enumeration: keep watching, or only the wall clock stops them
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
        if (t instanceof LinkageError) return false;  // a class that failed to load or initialize, thrown at its first use
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

    /** A JDK class that a program left half-initialized (its static initializer overflowed the stack) fails
     *  every later use in this JVM: whoever meets it is re-run by the pool, and this worker restarts. Any JDK
     *  class, not only java.*: a program that overflowed inside sun.security's initializers broke MessageDigest,
     *  UUID and SecureRandom for every later program (red team). Causes are followed only through the JDK's own
     *  throwables (boot loader), whose getCause a program cannot override. */
    static boolean poisoned(Throwable t) {
        for (int i = 0; i < 8 && t != null && t.getClass().getClassLoader() == null; i++, t = t.getCause()) {
            String msg = t.getClass() == NoClassDefFoundError.class ? String.valueOf(t.getMessage()) : "";
            if (msg.startsWith("Could not initialize class ") && jdkClass(msg.substring(27).trim())) return true;
        }
        return false;
    }

    static boolean jdkClass(String name) {  // one every program's loader shares: it is not the program's own
        try {
            Class.forName(name, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    static String describe(Throwable t) {
        for (int i = 0; i < 8 && (t instanceof ExceptionInInitializerError || t instanceof InvocationTargetException)
                && t.getCause() != null; i++) t = t.getCause();
        String msg = t.getMessage();
        if (msg != null && msg.length() > 300) msg = msg.substring(0, 300);  // a huge message is not copied
        return firstLine(t.getClass().getName() + (msg == null ? "" : ": " + msg));
    }

    static String firstLine(String s) { int nl = s.indexOf('\n'); return nl < 0 ? s : s.substring(0, nl); }

    // ---------------------------------------------------------------- run

    static final class Run implements Runnable {
        final Class<?> main;
        final List<Method> tests;
        final Set<String> testClasses;
        final Capture capture = new Capture(outputLimit);
        final ThreadGroup group;
        final long cpuLimitNs;
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicBoolean entered = new AtomicBoolean();
        volatile int passed;
        volatile boolean oom, stopping, done, failed, testFailure, poisonedJdk;
        volatile String current, exceeded, failureText = "tests did not pass";
        volatile long cpuNs;

        Run(Class<?> main, List<Method> tests, Set<String> testClasses, ThreadGroup group, long cpuLimitNs) {
            this.main = main; this.tests = tests; this.testClasses = testClasses; this.group = group; this.cpuLimitNs = cpuLimitNs;
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
            // one-shot: the program reaches this Runnable as `(Runnable) Thread.currentThread()`, and a nested run's
            // end(null) would stop the limits counting for the rest of the outer one
            if (!entered.compareAndSet(false, true)) return;
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
            if (stopping || t == null) return;
            if (t instanceof OutOfMemoryError) {
                oom = true;
                OOMS.incrementAndGet();
            }
            if (poisoned(t)) poisonedJdk = true;
            if (failed) return;
            failed = true;
            // described here, on the program's thread and clock: getMessage, getCause and getStackTrace are the
            // program's to override, and one that loops or throws must cost the program, never the worker
            try {
                testFailure = isTestFailure(t, testClasses);
                failureText = describe(t) + where(t, testClasses);
            } catch (Throwable e) {
                failureText = t.getClass().getName();
            }
        }
    }

    static List<Thread> threadsOf(ThreadGroup g) {
        Thread[] ts = new Thread[g.activeCount() + 16];
        int n = g.enumerate(ts, true);
        List<Thread> alive = new ArrayList<>();
        for (int i = 0; i < n; i++) if (ts[i].isAlive()) alive.add(ts[i]);
        return alive;
    }

    static final Map<ThreadGroup, Field> FLAGS = new ConcurrentHashMap<>();  // a running program's stop flag (Stopper)

    /** True once no thread of `group` is alive, stopped cooperatively (Stopper's flag: its code throws at
     *  its next branch); false if some survive 1 s, or the program has no flag to set. */
    static boolean stopAll(ThreadGroup group) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        Field flag = FLAGS.remove(group);
        while (true) {
            List<Thread> alive = threadsOf(group);  // threads spawned meanwhile too
            if (alive.isEmpty()) return true;
            alive.forEach(Thread::interrupt);  // out of a wait or sleep
            if (flag == null) return false;  // not instrumented, or stop_threads=false: the pool restarts this worker
            try { flag.setBoolean(null, true); } catch (IllegalAccessException e) { return false; }
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
            String s = Worker.firstLine(new String(buf, 0, Math.min(n, 200), StandardCharsets.UTF_8).strip());
            return s.isEmpty() ? "" : " | output: " + s;
        }
    }

    /** JDK 17-23: Guard.java's SecurityManager, compiled there only (JDK 24+ cannot install one, and its API is going). */
    static boolean installGuard() {
        try {
            return (Boolean) Class.forName("Guard").getDeclaredMethod("install").invoke(null);
        } catch (ReflectiveOperationException e) {
            return false;  // JDK 24+: the bytecode scan, thread groups and the OS sandbox remain
        }
    }
}
