import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testIndexOfMax() {
        check(ArrayUtils.indexOfMax(new int[] {3, 9, 2}) == 1, "max in the middle");
        check(ArrayUtils.indexOfMax(new int[] {7}) == 0, "single value");
        check(ArrayUtils.indexOfMax(new int[] {-5, -2, -9}) == 1, "all negative, got " + ArrayUtils.indexOfMax(new int[] {-5, -2, -9}));
        check(ArrayUtils.indexOfMax(new int[] {1, 4, 4, 2}) == 1, "first of equal maxima");
        check(ArrayUtils.indexOfMax(new int[] {1, 2, 3, 4}) == 3, "max at the end");
    }

    static void testIndexOfMaxEmpty() {
        try {
            ArrayUtils.indexOfMax(new int[0]);
            check(false, "empty array must throw IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testIndexOfMax();
        testIndexOfMaxEmpty();
    }
}
