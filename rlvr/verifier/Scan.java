/*
 * rlvr verifier, layer 1 of rlvr/verifier/sandbox.py: the bytecode allow-list that Worker.java applies
 * to each program's own classes before anything runs. Compiled together with Worker.java.
 */
import java.io.*;
import java.util.*;

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
final class Scan {
    static final String[] PACKAGES = {"java/util/", "java/math/", "java/text/", "java/time/",
        "java/lang/invoke/", "java/lang/runtime/", "java/lang/annotation/"};
    static final String[] DENIED_PREFIXES = {"java/util/ServiceLoader", "java/util/Timer", "java/util/prefs/",
        "java/util/logging/", "java/util/jar/", "java/util/zip/", "java/util/spi/", "java/util/ResourceBundle",
        "java/util/PropertyResourceBundle", "java/util/ListResourceBundle", "java/util/concurrent/Executor",
        "java/util/concurrent/ForkJoin", "java/util/concurrent/CompletableFuture", "java/util/concurrent/ThreadPoolExecutor",
        "java/util/concurrent/ScheduledThreadPoolExecutor", "java/util/concurrent/ThreadFactory",
        "java/util/concurrent/RecursiveAction", "java/util/concurrent/RecursiveTask", "java/util/concurrent/CountedCompleter",
        "java/util/stream/StreamSupport",
        "java/util/concurrent/ExecutorCompletionService", "java/util/concurrent/Flow", "java/util/concurrent/SubmissionPublisher",
        "java/time/zone/", "java/text/spi/",
        // a program's own field or chronology would be kept in a JDK-wide cache (DateTimeTextProvider.CACHE, the
        // localized-pattern cache keyed by a chronology's id), with what it holds, for the worker's life: memory no
        // later program gets back, and patterns of another calendar under "ISO" for every later program
        "java/time/temporal/TemporalField", "java/time/chrono/AbstractChronology", "java/time/chrono/Chronology",
        "java/util/Locale$Builder"};  // a Locale from the program's strings: see DENIED_MEMBERS
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
        "java/lang/Boolean.getBoolean", "java/io/PrintStream.close", "java/io/PrintWriter.close",
        "java/lang/OutOfMemoryError.<init>", "java/lang/NoClassDefFoundError.<init>",  // fakes would re-run neighbours
        "java/util/stream/Gatherers.mapConcurrent",  // JDK 24+: virtual threads, outside the program's group and limits
        "java/nio/ByteBuffer.allocateDirect",  // memory off the heap, outside the memory limit
        // a Locale made from the program's strings stays in the JDK's locale cache for the worker's life (its value
        // holds its soft key strongly): a 10 MB variant a program filled the heap for every later one. Locale.ROOT,
        // Locale.US ... remain
        "java/util/Locale.<init>", "java/util/Locale.of", "java/util/Locale.forLanguageTag");
    static final String[] DENIED_SIGNATURES = {"java/io/PrintStream.<init>(Ljava/lang/String;",
        "java/io/PrintWriter.<init>(Ljava/lang/String;", "java/util/Formatter.<init>(Ljava/lang/String;"};  // open files by name

    static final java.util.regex.Pattern INSIDE_METHOD = java.util.regex.Pattern.compile("\\$[0-9]");  // javac's local/anonymous names

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
        // nor may it be handed an object of a class it may not name: MessageDigest.getProvider gave the JVM's one
        // SUN provider, a Map the program cleared for every later program (red team 11)
        String type = elementClass(descriptor.substring(descriptor.indexOf(')') + 1));  // returned, or the field's
        if (type.length() > 1 && !type.equals("java/lang/AbstractStringBuilder") && !classAllowed(type, own)) return member;
        for (String sig : DENIED_SIGNATURES) if ((member + descriptor).startsWith(sig)) return member + descriptor;
        if (owner.equals("java/util/concurrent/ConcurrentHashMap") && descriptor.startsWith("(J")) return member;  // bulk ops on the common pool
        return null;
    }

    /** What the allow-list reads of one class file. */
    static final class ClassInfo {
        final List<String> classes = new ArrayList<>();  // every class its constant pool names
        final List<String[]> members = new ArrayList<>();  // {owner, name, descriptor} of every member it references
        final Set<String> declared = new HashSet<>();  // name + descriptor of its own fields and methods
        String parent;
        boolean local, customEquals;  // declared in a method body; an equals(Object) that is not a record's generated one
    }

    /** The first thing the program's classes reference or declare that they may not, as "java.lang.System.exit"; null if none. */
    static String forbidden(Map<String, byte[]> classes, Set<String> programClasses) throws IOException {
        Map<String, ClassInfo> own = new HashMap<>();  // the program's and the tests' classes
        for (Map.Entry<String, byte[]> e : classes.entrySet()) own.put(e.getKey().replace('.', '/'), parse(e.getValue()));
        for (String name : programClasses) {
            ClassInfo c = own.get(name.replace('.', '/'));
            // a member class of a local class has no EnclosingMethod, but javac's binary name says it lives in a
            // method: a `$` then a digit somewhere (Outer$1Box$Any), as no class the prompt declares is named
            c.local |= INSIDE_METHOD.matcher(name).find();
            String hit = forbidden(c, own);
            if (hit != null) return hit.replace('/', '.');
        }
        return null;
    }

    static String forbidden(ClassInfo c, Map<String, ClassInfo> own) {
        for (String name : c.classes) if (!classAllowed(name, own.keySet())) return name;
        for (String[] m : c.members) {
            String hit = memberDenied(declaringOwner(m[0], m[1] + m[2], own), m[1], m[2], own.keySet());
            if (hit != null) return hit;
        }
        // a finalize() would run on the JVM's finalizer thread, after the verdict and outside every limit
        if (c.declared.contains("finalize()V")) return "java/lang/Object.finalize";
        // an object equal to everything passes any test that asks actual.equals(expected), as an element too:
        // classes from the completion (a method body) and subclasses of JDK classes may not define equals
        boolean jdkParent = c.parent.startsWith("java/") && !c.parent.equals("java/lang/Object") && !c.parent.equals("java/lang/Record");
        if (c.customEquals && (c.local || jdkParent)) {
            return "java/lang/Object.equals (defined in " + (c.local ? "a class inside a method" : "a subclass of " + c.parent) + ")";
        }
        return null;
    }

    /** The class a member reached through `owner` comes from: `owner` if one of the program's classes
     *  declares it, else the first JDK class up its parents (`TZ.setDefault` is TimeZone's). */
    static String declaringOwner(String owner, String member, Map<String, ClassInfo> own) {
        while (own.containsKey(owner) && !own.get(owner).declared.contains(member) && own.get(owner).parent != null) {
            owner = own.get(owner).parent;
        }
        return owner;
    }

    static ClassInfo parse(byte[] classFile) throws IOException {
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
        ClassInfo c = new ClassInfo();
        for (int i = 1; i < count; i++) {
            if (classIdx[i] != 0) c.classes.add(elementClass(utf8[classIdx[i]]));
            if (refClass[i] != 0) {
                c.members.add(new String[] {elementClass(utf8[classIdx[refClass[i]]]), utf8[natName[refNat[i]]], utf8[natType[refNat[i]]]});
            }
        }
        in.skipBytes(4);  // access flags, this
        int parent = in.readUnsignedShort();
        c.parent = parent == 0 ? "java/lang/Object" : utf8[classIdx[parent]];
        in.skipBytes(2 * in.readUnsignedShort());  // interfaces
        for (int fields = in.readUnsignedShort(); fields > 0; fields--) {
            in.skipBytes(2);
            c.declared.add(utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()]);
            attribute(in, utf8, "");
        }
        for (int methods = in.readUnsignedShort(); methods > 0; methods--) {
            in.skipBytes(2);
            String member = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
            c.declared.add(member);
            byte[] code = attribute(in, utf8, "Code");
            // a record's generated equals: aload_0, aload_1, invokedynamic (ObjectMethods), ireturn
            boolean generated = code != null && code.length >= 16 && code[4] == 0 && code[5] == 0 && code[6] == 0
                    && code[7] == 8 && (code[8] & 0xff) == 0x2a
                    && (code[9] & 0xff) == 0x2b && (code[10] & 0xff) == 0xba && (code[15] & 0xff) == 0xac;
            if (member.equals("equals(Ljava/lang/Object;)Z") && !generated) c.customEquals = true;
        }
        c.local = attribute(in, utf8, "EnclosingMethod") != null;
        return c;
    }

    /** Reads a list of attributes; returns the content of the one named `wanted`, null if there is none. */
    static byte[] attribute(DataInputStream in, String[] utf8, String wanted) throws IOException {
        byte[] found = null;
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            String name = utf8[in.readUnsignedShort()];
            byte[] content = new byte[in.readInt()];
            in.readFully(content);
            if (name.equals(wanted)) found = content;
        }
        return found;
    }

    /** "[[Ljava/lang/String;" -> "java/lang/String": an array is allowed if its element class is. */
    static String elementClass(String name) { return name.replaceFirst("^\\[+", "").replaceFirst("^L(.*);$", "$1"); }
}
