import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testRemove() {
        IntHashMap map = new IntHashMap(4);
        map.put(1, 10);
        map.put(5, 50);
        map.put(9, 90);
        check(map.remove(5), "remove 5 (middle of a chain)");
        check(!map.containsKey(5) && map.containsKey(1) && map.containsKey(9), "only 5 is gone");
        check(map.size() == 2, "size 2, got " + map.size());
        check(map.remove(9) && map.remove(1), "remove the rest");
        check(map.size() == 0, "empty");
    }

    static void testRemoveMissing() {
        IntHashMap map = new IntHashMap();
        check(!map.remove(3), "empty map");
        map.put(3, 1);
        check(!map.remove(19), "missing key");
        check(map.size() == 1, "size unchanged");
        check(map.remove(3) && !map.remove(3), "remove twice");
    }

    public static void main(String[] args) {
        testRemove();
        testRemoveMissing();
    }
}
