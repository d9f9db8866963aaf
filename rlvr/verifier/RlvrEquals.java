/*
 * rlvr verifier: the equality a task's tests ask for, decided by trusted code on trusted copies. Worker.java
 * defines this class in every program's loader, and Stopper rewrites the tests' own `a.equals(b)` and
 * `Objects.equals(a, b)` into RlvrEquals.equals / RlvrEquals.objects (the program's calls are left alone).
 *
 * Why: a List, Set or Map the program returns decides its own equals. Scan refuses an equals a completion
 * writes, but the equals a HashMap subclass inherits asks size() and entrySet(), which it may override: one whose
 * size() was right and entrySet() empty equalled every map of that size (14 MBJP tasks passed without computing a
 * value, red team 10), and a TreeSet asks the comparator the program gave it. Here each side is copied, by
 * iterating it, into a fresh ArrayList, HashSet, HashMap, entry or Optional, recursively, and the copies compared:
 * the same answer as the collections' own equals by their contracts, from what the program's object holds. A
 * class of the task's own that defines equals keeps it (an edge equal to its reverse).
 * JDK methods the tests call that compare inside (contains, indexOf, containsAll) still ask the program's objects.
 */
import java.util.*;

public final class RlvrEquals {
    public static boolean equals(Object a, Object b) {  // a.equals(b) as the tests wrote it: a null `a` throws
        return Objects.requireNonNull(a) == b || canonical(a).equals(canonical(b));
    }

    public static boolean objects(Object a, Object b) {  // Objects.equals(a, b)
        return a == b || a != null && equals(a, b);
    }

    /** What the Stopper calls instead of the tests' call `owner.name(type)`: a method here, or null (no equality test). */
    static String rewrite(boolean isStatic, boolean isSpecial, String owner, String name, String type) {
        if (!name.equals("equals") || isSpecial) return null;  // super.equals(o) inside an equals stays
        if (isStatic) return owner.equals("java/util/Objects") && type.equals(TWO_OBJECTS) ? "objects" : null;
        return type.equals("(Ljava/lang/Object;)Z") ? "equals" : null;
    }

    static final String TWO_OBJECTS = "(Ljava/lang/Object;Ljava/lang/Object;)Z";

    static Object canonical(Object x) {
        if (x instanceof Optional<?> o) return o.map(RlvrEquals::canonical);
        if (!(x instanceof Map.Entry || x instanceof Collection || x instanceof Map) || taskEquals(x)) return x;
        if (x instanceof Map.Entry<?, ?> e) return new AbstractMap.SimpleImmutableEntry<>(canonical(e.getKey()), canonical(e.getValue()));
        if (x instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (Object o : list) copy.add(canonical(o));
            return copy;
        }
        if (x instanceof Set<?> set) {
            Set<Object> copy = new HashSet<>();
            for (Object o : set) copy.add(canonical(o));
            return copy;
        }
        if (x instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new HashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) copy.put(canonical(e.getKey()), canonical(e.getValue()));
            return copy;
        }
        return x;
    }

    /** x's equals was written by the task (prompt or tests; Scan refuses one a completion writes): it decides. */
    static boolean taskEquals(Object x) {
        try {
            return x.getClass().getMethod("equals", Object.class).getDeclaringClass().getClassLoader() == RlvrEquals.class.getClassLoader();
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }
}
