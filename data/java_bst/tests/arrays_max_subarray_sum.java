import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testMaxSubarraySum() {
        check(ArrayUtils.maxSubarraySum(new int[] {-2, 1, -3, 4, -1, 2, 1, -5, 4}) == 6, "classic example");
        check(ArrayUtils.maxSubarraySum(new int[] {5}) == 5, "single value");
        check(ArrayUtils.maxSubarraySum(new int[] {-3, -1, -2}) == -1, "all negative, got " + ArrayUtils.maxSubarraySum(new int[] {-3, -1, -2}));
        check(ArrayUtils.maxSubarraySum(new int[] {2, 3, 4}) == 9, "all positive");
    }

    static void testMaxSubarraySumLarge() {
        int[] a = {Integer.MAX_VALUE, Integer.MAX_VALUE};
        check(ArrayUtils.maxSubarraySum(a) == 2L * Integer.MAX_VALUE, "no int overflow");
        try {
            ArrayUtils.maxSubarraySum(new int[0]);
            check(false, "empty array must throw IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testMaxSubarraySum();
        testMaxSubarraySumLarge();
    }
}
