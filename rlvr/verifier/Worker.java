/*
 * rlvr warm verifier worker: one JVM that compiles and tests many untrusted Java programs.
 *
 * Started by rlvr/verifier/java.py as
 *   java [flags] -cp CACHE Worker COMPILE_MS RUN_MS OUTPUT_LIMIT MAX_THREADS THREADS
 * Protocol (UTF-8 lines on the real stdin/stdout; program output never reaches them):
 *   request  ID \t NONCE \t SOLUTION_FILE \t base64(solution unit) \t base64(test unit)
 *   reply    NONCE \t ID \t STATUS \t COMPILED(0|1) \t PASSED \t TOTAL \t MILLIS \t RETRY(0|1) \t base64(error)
 *   first line written: READY \t sm=0|1 \t java=VERSION
 * RETRY=1 means the verdict may be collateral damage (another program exhausted the shared heap
 * while this one ran): the pool re-runs it. After replying, a worker that could not stop a
 * program's threads halts itself; the pool restarts it and re-runs what it held.
 *
 * Per program: in-memory javac (javax.tools), a bytecode scan for forbidden APIs, a fresh
 * ClassLoader (static state dies with it) whose classes carry an empty ProtectionDomain, and a
 * thread in its own ThreadGroup with a wall-clock timeout (Thread.stop on timeout). The
 * SecurityManager denies program code (stack inspection) exit/halt, exec, network, file access,
 * setIO, reflection past access checks, touching threads outside its group, more than
 * MAX_THREADS threads. See the docstring of rlvr/verifier/sandbox.py for what is not covered.
 */
import java.io.*;
import java.lang.reflect.*;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.*;
import javax.tools.*;

@SuppressWarnings({"removal", "deprecation"})
public final class Worker {
    static long compileMs, runMs;
    static int outputLimit, maxThreads;
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
        maxThreads = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
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
        verify("Solution.java", sol, test);
    }

    // ---------------------------------------------------------------- one request

    static final class Result {
        String status, error = "";
        boolean compiled, retry, wedged;
        int passed, total;
        Result(String status, boolean compiled) { this.status = status; this.compiled = compiled; }
    }

    static void handle(String line) {
        String[] f = line.split("\t", -1);
        long t0 = System.nanoTime();
        Result r;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            r = verify(f[2], new String(b64.decode(f[3]), StandardCharsets.UTF_8), new String(b64.decode(f[4]), StandardCharsets.UTF_8));
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

    static Result verify(String solutionFile, String solution, String tests) throws Exception {
        // 1. compile both units in memory, in a thread we can stop
        Compilation c = new Compilation(solutionFile, solution, tests);
        Thread ct = new Thread(null, () -> { TRUSTED.set(true); c.run(); }, "rlvr-javac", 16L << 20);
        ct.setDaemon(true);
        ct.start();
        ct.join(compileMs);
        if (ct.isAlive()) {
            Result r = new Result("timeout", false);
            r.error = "compilation timed out after " + compileMs / 1000.0 + " s";
            r.wedged = !stopAll(List.of(ct), null, 1000);
            return r;
        }
        if (c.failure != null) throw c.failure;
        if (c.error != null) {
            Result r = new Result("compile_error", false);
            r.error = c.error;
            return r;
        }
        if (tests.isBlank()) return new Result("compiled", true);  // nothing to run
        // 2. find the tests: static no-arg test* methods of Main in source order, else main
        MemLoader loader = new MemLoader(c.classes);
        Class<?> main;
        try {
            main = Class.forName(c.testPackage + "Main", false, loader);
        } catch (ClassNotFoundException e) {
            Result r = new Result("runtime_error", true);
            r.error = "the tests declare no class Main";
            return r;
        }
        List<Method> testMethods = findTests(main, tests);
        Result r = new Result("pass", true);
        r.total = Math.max(1, testMethods.size());
        // 3. defence in depth: refuse programs that reference forbidden APIs at all
        String forbidden = Scan.forbidden(c.classes.values());
        if (forbidden != null) {
            r.status = "runtime_error";
            r.error = "forbidden API: " + forbidden;
            return r;
        }
        // 4. run in a fresh thread group with a wall-clock limit
        ThreadGroup group = new ThreadGroup(SANDBOX, "program");
        Run run = new Run(main, testMethods, group);
        group.setDaemon(true);
        Thread pt = new Thread(group, run, "main", 0);
        pt.setContextClassLoader(loader);
        long oomsBefore = OOMS.get();
        pt.start();
        pt.join(runMs);
        boolean timedOut = pt.isAlive();
        run.stopping = true;
        List<Thread> leftovers = threadsOf(group);
        r.wedged = !leftovers.isEmpty() && !stopAll(leftovers, group, 1000);
        r.passed = run.passed;
        if (timedOut) {
            r.status = "timeout";
            r.error = "timed out after " + runMs / 1000.0 + " s" + (run.current == null ? "" : " in " + run.current);
        } else if (run.oom) {
            r.status = "memory_limit";
            r.error = "OutOfMemoryError: Java heap space";
        } else if (run.failure != null || run.passed < r.total) {
            Throwable t = run.failure;
            r.status = t != null && isTestFailure(t, c.testClasses) ? "test_failure" : "runtime_error";
            r.error = (run.current == null ? "" : run.current + ": ") + describe(t) + where(t, c.testClasses) + run.capture.firstLine();
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
        String testPackage = "", error;
        Exception failure;

        Compilation(String solutionFile, String solution, String tests) {
            this.solutionFile = solutionFile;
            this.solution = solution;
            this.tests = tests;
            Matcher m = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE).matcher(tests);
            if (m.find()) testPackage = m.group(1) + ".";
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
        volatile int passed;
        volatile boolean oom, stopping;
        volatile Throwable failure;
        volatile String current;

        final ThreadGroup group;

        Run(Class<?> main, List<Method> tests, ThreadGroup group) { this.main = main; this.tests = tests; this.group = group; }

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
            else if (own.activeCount() >= maxThreads) throw new SecurityException("thread limit (" + maxThreads + ") reached");
        }
    }

    // ---------------------------------------------------------------- bytecode scan

    /** Constant-pool scan: classes and members a test program has no business referencing. */
    static final class Scan {
        static final String[] CLASS_PREFIXES = {
            "java/lang/Process", "java/net/", "java/nio/file/", "java/nio/channels/", "java/io/File",
            "java/io/RandomAccessFile", "java/lang/ClassLoader", "java/lang/SecurityManager",
            "sun/", "jdk/internal/", "com/sun/", "javax/script/", "javax/tools/",
        };
        static final Set<String> CLASSES = Set.of("java/lang/Runtime", "java/lang/System$Logger");
        static final Set<String> MEMBERS = Set.of(
            "java/lang/System.exit", "java/lang/System.setOut", "java/lang/System.setErr", "java/lang/System.setIn",
            "java/lang/System.setSecurityManager", "java/lang/System.load", "java/lang/System.loadLibrary",
            "java/lang/System.setProperty", "java/lang/System.clearProperty", "java/lang/System.inheritedChannel",
            "java/lang/Thread.stop", "java/lang/ThreadGroup.stop", "java/lang/invoke/MethodHandles.privateLookupIn", "java/lang/Thread.setDefaultUncaughtExceptionHandler");

        static String forbidden(Collection<byte[]> classFiles) throws IOException {
            for (byte[] b : classFiles) {
                String hit = forbidden(b);
                if (hit != null) return hit;
            }
            return null;
        }

        static String forbidden(byte[] classFile) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
            in.skipBytes(8);  // magic, minor, major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classIdx = new int[count], refClass = new int[count], refNat = new int[count], natName = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1: utf8[i] = in.readUTF(); break;
                    case 3: case 4: in.skipBytes(4); break;
                    case 5: case 6: in.skipBytes(8); i++; break;
                    case 7: classIdx[i] = in.readUnsignedShort(); break;
                    case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                    case 9: case 10: case 11: refClass[i] = in.readUnsignedShort(); refNat[i] = in.readUnsignedShort(); break;
                    case 12: natName[i] = in.readUnsignedShort(); in.skipBytes(2); break;
                    case 15: in.skipBytes(3); break;
                    case 17: case 18: in.skipBytes(4); break;
                    default: throw new IOException("bad constant pool tag " + tag);
                }
            }
            for (int i = 1; i < count; i++) {
                if (classIdx[i] != 0) {
                    String name = utf8[classIdx[i]].replaceFirst("^\\[*L?", "").replaceFirst(";$", "");
                    if (CLASSES.contains(name)) return name.replace('/', '.');
                    for (String p : CLASS_PREFIXES) if (name.startsWith(p)) return name.replace('/', '.');
                }
                if (refClass[i] != 0) {
                    String member = utf8[classIdx[refClass[i]]] + "." + utf8[natName[refNat[i]]];
                    if (MEMBERS.contains(member)) return member.replace('/', '.');
                }
            }
            return null;
        }
    }
}
