import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testBinarySearchFound() {
        int[] a = {-5, -1, 0, 3, 8, 13, 21};
        for (int i = 0; i < a.length; i++) {
            check(ArrayUtils.binarySearch(a, a[i]) == i, "index of " + a[i] + " is " + i + ", got " + ArrayUtils.binarySearch(a, a[i]));
        }
    }

    static void testBinarySearchMissing() {
        int[] a = {-5, -1, 0, 3, 8, 13, 21};
        for (int key : new int[] {-6, 1, 9, 22, 100}) {
            check(ArrayUtils.binarySearch(a, key) == -1, key + " is missing");
        }
        check(ArrayUtils.binarySearch(new int[0], 1) == -1, "empty array");
        check(ArrayUtils.binarySearch(new int[] {4}, 4) == 0, "single value");
    }

    public static void main(String[] args) {
        testBinarySearchFound();
        testBinarySearchMissing();
    }
}
