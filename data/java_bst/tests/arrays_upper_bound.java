import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testUpperBound() {
        int[] a = {1, 3, 3, 3, 7, 9};
        check(ArrayUtils.upperBound(a, 3) == 4, "after the last 3 is 4, got " + ArrayUtils.upperBound(a, 3));
        check(ArrayUtils.upperBound(a, 4) == 4, "4 would go at 4");
        check(ArrayUtils.upperBound(a, 0) == 0, "before everything");
        check(ArrayUtils.upperBound(a, 1) == 1, "after the first value");
        check(ArrayUtils.upperBound(a, 9) == 6, "after everything is a.length");
    }

    static void testUpperBoundEdges() {
        check(ArrayUtils.upperBound(new int[0], 5) == 0, "empty array");
        check(ArrayUtils.upperBound(new int[] {-2, -2}, -2) == 2, "all duplicates");
        check(ArrayUtils.upperBound(new int[] {-2, -2}, -3) == 0, "before duplicates");
    }

    public static void main(String[] args) {
        testUpperBound();
        testUpperBoundEdges();
    }
}
