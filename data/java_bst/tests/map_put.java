import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testPutNewKeys() {
        IntHashMap map = new IntHashMap();
        check(map.put(1, 10), "new key returns true");
        check(map.put(-2, 20), "negative key");
        check(map.size() == 2, "size 2, got " + map.size());
        check(map.getOrDefault(1, 0) == 10 && map.getOrDefault(-2, 0) == 20, "values stored");
    }

    static void testPutReplaces() {
        IntHashMap map = new IntHashMap();
        map.put(5, 1);
        check(!map.put(5, 2), "existing key returns false");
        check(map.getOrDefault(5, 0) == 2, "value replaced, got " + map.getOrDefault(5, 0));
        check(map.size() == 1, "size unchanged");
    }

    static void testPutCollisions() {
        IntHashMap map = new IntHashMap(4);
        for (int k = 0; k < 40; k += 4) {
            check(map.put(k, k * 10), "new key " + k);
        }
        check(map.size() == 10, "size 10, got " + map.size());
        for (int k = 0; k < 40; k += 4) {
            check(map.getOrDefault(k, -1) == k * 10, "value of " + k);
        }
    }

    public static void main(String[] args) {
        testPutNewKeys();
        testPutReplaces();
        testPutCollisions();
    }
}
