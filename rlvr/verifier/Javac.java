/*
 * rlvr verifier: in-memory javac and class loading for Worker.java (compiled together with it).
 * Sources and class files never touch the disk; javac and the programs never see the worker's classes.
 */
import java.io.*;
import java.lang.reflect.*;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.*;
import java.util.*;
import java.util.concurrent.*;
import javax.tools.*;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.tools.javac.api.JavacTaskPool;  // JDK-internal: java.py passes --add-exports for it

/** One compilation of a solution unit and, unless blank, the test unit `Main.java`. */
@SuppressWarnings("removal")
final class Javac {
    static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();
    static final LinkedBlockingQueue<Compiler> COMPILERS = new LinkedBlockingQueue<>();  // slow to make: reused
    static final URI TEST_UNIT = URI.create("string:///Main.java");
    static final List<String> OPTIONS = List.of("-proc:none", "-g:source,lines", "-nowarn", "-Xlint:none", "-implicit:none");

    final Map<String, byte[]> classes = new ConcurrentHashMap<>();  // binary name -> class file
    final Set<String> testClasses = ConcurrentHashMap.newKeySet();  // those compiled from the test unit
    volatile String error;  // the first javac error; null: compiled (unless timedOut)
    volatile Throwable failure;  // an exception, or an OutOfMemoryError: the worker's handler re-runs that program
    boolean timedOut, wedged;  // wedged: timed out and its thread could not be stopped

    boolean ok() { return !timedOut && error == null; }

    /** javac in a thread we can abandon: past timeoutMs the compilation is timedOut. */
    static Javac compile(String solutionFile, String solution, String tests, long timeoutMs) throws Exception {
        Javac c = new Javac();
        ThreadGroup group = new ThreadGroup("rlvr-javac");
        group.setDaemon(true);  // else JDK <= 18 keeps the empty group forever
        Thread ct = new Thread(group, () -> { Worker.TRUSTED.set(true); c.run(solutionFile, solution, tests); }, "rlvr-javac", 16L << 20);
        ct.setDaemon(true);
        ct.start();
        ct.join(timeoutMs);
        if (ct.isAlive()) {
            c.timedOut = true;
            c.wedged = !Worker.stopAll(group);
        } else if (c.failure instanceof Exception e) {
            throw e;
        } else if (c.failure != null) {
            throw (Error) c.failure;
        }
        return c;
    }

    void run(String solutionFile, String solution, String tests) {
        Compiler compiler = COMPILERS.poll();
        try {
            if (compiler == null) compiler = new Compiler();
            Source sol = new Source(solutionFile, solution), test = new Source("Main.java", tests);
            List<Source> units = tests.isBlank() ? List.of(sol) : List.of(sol, test);
            DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
            compiler.target = this;
            boolean[] generating = {false};
            TaskListener generation = new TaskListener() {
                @Override public void started(TaskEvent e) { if (e.getKind() == TaskEvent.Kind.GENERATE) generating[0] = true; }
            };
            if (!compiler.pool.getTask(null, compiler.inMemory, diags, OPTIONS, null, units,
                                       task -> { task.addTaskListener(generation); return task.call(); })) {
                error = firstError(diags);
            }
            compiler.target = null;
            // reused only after a compilation that finished, and not after an error in code generation (`code too
            // large`, `constant string too long`): the class's constants stay in the context's pool writer and land
            // in, or break, every class it writes later
            if (error == null || !generating[0]) COMPILERS.add(compiler);
        } catch (Exception | OutOfMemoryError e) {  // a heap a neighbour filled: not "no class of its own"
            failure = e;
        }
    }

    /** One javac context kept between compilations: JavacTaskPool (what JShell uses) clears what a
     *  compilation defined and keeps the JDK's symbols, read once instead of per program: ~0.7 ms a
     *  compile instead of ~7 on the java_bst references. Its components keep the file manager they
     *  were made with, so each context has its own, which writes to the compilation now running. */
    static final class Compiler {
        final JavacTaskPool pool = new JavacTaskPool(1);
        volatile Javac target;
        final JavaFileManager inMemory;

        Compiler() {
            StandardJavaFileManager std = JAVAC.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
            try {
                std.setLocation(StandardLocation.CLASS_PATH, List.of());  // never see the worker's own classes
                std.setLocation(StandardLocation.SOURCE_PATH, List.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            inMemory = new ForwardingJavaFileManager<>(std) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                    Javac c = target;
                    if (sibling != null && sibling.toUri().equals(TEST_UNIT)) c.testClasses.add(className);
                    return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                        @Override public OutputStream openOutputStream() {
                            return new ByteArrayOutputStream() {
                                @Override public void close() { c.classes.put(className, toByteArray()); }
                            };
                        }
                    };
                }
            };
        }
    }

    static String firstError(DiagnosticCollector<JavaFileObject> diags) {
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            String file = d.getSource() == null ? "" : d.getSource().getName().replaceFirst("^/", "");
            return file + ":" + d.getLineNumber() + ": error: " + Worker.firstLine(d.getMessage(Locale.ROOT));
        }
        return "compilation failed";
    }

    static final class Source extends SimpleJavaFileObject {
        final String code;
        Source(String name, String code) { super(URI.create("string:///" + name), Kind.SOURCE); this.code = code; }
        @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) { return code; }
    }

    /** A fresh loader per program: its static state dies with it, and it cannot see the worker's classes. */
    static final class MemLoader extends ClassLoader {
        /** What every program class carries: no permission but reading properties, so the Guard denies the rest. */
        static final ProtectionDomain PROGRAM_DOMAIN;
        static {
            Permissions perms = new Permissions();
            perms.add(new PropertyPermission("*", "read"));
            perms.setReadOnly();
            PROGRAM_DOMAIN = new ProtectionDomain(new CodeSource(null, (java.security.cert.Certificate[]) null), perms);
        }
        // Stopper (Stopper.java on JDK 24+, StopperAsm.java below) adds a stop check to every loop and method of what a
        // program loads, and sends the tests' equality calls to RlvrEquals, which every program's loader defines
        static final Method INSTRUMENT = stopper("instrument", Map.class), TRUST_EQUALS = stopper("trustEquals", Map.class, Set.class);
        static final byte[] EQUALS_CLASS = resource("RlvrEquals.class");  // checked once: its checks call the loader's own holder
        static final byte[] EQUALS_CHECKED = instrumented(Map.of("RlvrEquals", EQUALS_CLASS)).get("RlvrEquals");
        final Map<String, byte[]> classes;

        MemLoader(Map<String, byte[]> classes) {
            super("rlvr-program", ClassLoader.getPlatformClassLoader());  // the worker's classes stay invisible
            this.classes = new HashMap<>(Worker.stopThreads ? instrumented(classes) : classes);  // false: timeouts restart the worker
            this.classes.put("RlvrEquals", Worker.stopThreads ? EQUALS_CHECKED : EQUALS_CLASS);  // over a program's own one
            setDefaultAssertionStatus(true);  // like `java -ea`
        }

        static Method stopper(String name, Class<?>... parameters) {
            try {
                return Class.forName("Stopper").getDeclaredMethod(name, parameters);
            } catch (ReflectiveOperationException e) {
                return null;  // not built: every timeout restarts the worker, and the tests' equals are the program's
            }
        }

        static byte[] resource(String name) {
            try (InputStream in = MemLoader.class.getResourceAsStream("/" + name)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** `classes` with the equality calls of the `tests` among them sent to RlvrEquals (RlvrEquals.java says why). */
        @SuppressWarnings("unchecked")
        static Map<String, byte[]> trustEquals(Map<String, byte[]> classes, Set<String> tests) {
            try {
                return TRUST_EQUALS == null ? classes : (Map<String, byte[]>) TRUST_EQUALS.invoke(null, classes, tests);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return classes;  // a class the rewrite cannot take: its own equals decide, as before
            }
        }

        @SuppressWarnings("unchecked")
        static Map<String, byte[]> instrumented(Map<String, byte[]> classes) {
            try {
                return INSTRUMENT == null ? classes : (Map<String, byte[]>) INSTRUMENT.invoke(null, classes);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return classes;  // correct but unstoppable: a timeout restarts the worker
            }
        }

        /** The flag that stops this loader's code at its next branch, or null (not instrumented). */
        Field stopFlag() throws ReflectiveOperationException {
            return classes.containsKey("rlvr-stop") ? Class.forName("rlvr-stop", true, this).getField("stop") : null;
        }

        @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length, PROGRAM_DOMAIN);
        }
    }
}
