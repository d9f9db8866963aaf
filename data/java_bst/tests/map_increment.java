import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testIncrement() {
        IntHashMap map = new IntHashMap();
        check(map.increment(4, 1) == 1, "missing key counts as 0");
        check(map.increment(4, 1) == 2, "then 2");
        check(map.increment(4, -5) == -3, "negative delta");
        check(map.getOrDefault(4, 0) == -3, "stored, got " + map.getOrDefault(4, 0));
        check(map.size() == 1, "one key");
    }

    static void testIncrementCounts() {
        IntHashMap map = new IntHashMap(3);
        for (int v : new int[] {1, 2, 1, 3, 1, 2}) {
            map.increment(v, 1);
        }
        check(map.getOrDefault(1, 0) == 3 && map.getOrDefault(2, 0) == 2 && map.getOrDefault(3, 0) == 1, "counts");
    }

    public static void main(String[] args) {
        testIncrement();
        testIncrementCounts();
    }
}
