import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testReverse() {
        int[] a = {1, 2, 3, 4, 5};
        ArrayUtils.reverse(a);
        check(Arrays.equals(a, new int[] {5, 4, 3, 2, 1}), "odd length: " + Arrays.toString(a));
        int[] b = {-1, 0, 7, 7};
        ArrayUtils.reverse(b);
        check(Arrays.equals(b, new int[] {7, 7, 0, -1}), "even length: " + Arrays.toString(b));
    }

    static void testReverseSmall() {
        int[] empty = {};
        ArrayUtils.reverse(empty);
        check(empty.length == 0, "empty array");
        int[] one = {9};
        ArrayUtils.reverse(one);
        check(one[0] == 9, "single value");
        int[] two = {1, 2};
        ArrayUtils.reverse(two);
        check(two[0] == 2 && two[1] == 1, "two values");
    }

    public static void main(String[] args) {
        testReverse();
        testReverseSmall();
    }
}
