import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testContainsKey() {
        IntHashMap map = new IntHashMap(4);
        map.put(2, 0);
        map.put(6, 0);
        check(map.containsKey(2), "contains 2");
        check(map.containsKey(6), "contains 6 (same bucket)");
        check(!map.containsKey(10), "not 10 (same bucket)");
        check(!map.containsKey(3), "not 3");
    }

    static void testContainsKeyEmptyAndNegative() {
        check(!new IntHashMap().containsKey(0), "empty map");
        IntHashMap map = new IntHashMap();
        map.put(-17, 1);
        check(map.containsKey(-17) && !map.containsKey(17), "negative key");
    }

    public static void main(String[] args) {
        testContainsKey();
        testContainsKeyEmptyAndNegative();
    }
}
