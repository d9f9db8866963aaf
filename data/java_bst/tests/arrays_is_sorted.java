import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testSorted() {
        check(ArrayUtils.isSorted(new int[0]), "empty array");
        check(ArrayUtils.isSorted(new int[] {5}), "single value");
        check(ArrayUtils.isSorted(new int[] {-3, 0, 0, 2, 9}), "with duplicates");
    }

    static void testNotSorted() {
        check(!ArrayUtils.isSorted(new int[] {2, 1}), "2, 1");
        check(!ArrayUtils.isSorted(new int[] {1, 2, 3, 5, 4}), "last pair");
        check(!ArrayUtils.isSorted(new int[] {0, -1, 2}), "first pair");
    }

    public static void main(String[] args) {
        testSorted();
        testNotSorted();
    }
}
