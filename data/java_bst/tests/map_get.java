import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testGetPresent() {
        IntHashMap map = new IntHashMap(4);
        map.put(3, 30);
        map.put(7, 70);
        map.put(-1, -10);
        check(map.getOrDefault(3, 0) == 30, "get 3, got " + map.getOrDefault(3, 0));
        check(map.getOrDefault(7, 0) == 70, "get 7 (same bucket as 3)");
        check(map.getOrDefault(-1, 0) == -10, "negative key");
    }

    static void testGetMissing() {
        IntHashMap map = new IntHashMap(4);
        map.put(3, 30);
        check(map.getOrDefault(11, 99) == 99, "missing key gives the default");
        check(map.getOrDefault(4, -5) == -5, "missing key gives the default");
        check(new IntHashMap().getOrDefault(0, 42) == 42, "empty map");
    }

    public static void main(String[] args) {
        testGetPresent();
        testGetMissing();
    }
}
