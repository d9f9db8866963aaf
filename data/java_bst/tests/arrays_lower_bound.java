import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testLowerBound() {
        int[] a = {1, 3, 3, 3, 7, 9};
        check(ArrayUtils.lowerBound(a, 3) == 1, "first 3 is at 1, got " + ArrayUtils.lowerBound(a, 3));
        check(ArrayUtils.lowerBound(a, 4) == 4, "4 would go at 4");
        check(ArrayUtils.lowerBound(a, 0) == 0, "before everything");
        check(ArrayUtils.lowerBound(a, 9) == 5, "last value");
        check(ArrayUtils.lowerBound(a, 10) == 6, "after everything is a.length");
    }

    static void testLowerBoundEdges() {
        check(ArrayUtils.lowerBound(new int[0], 5) == 0, "empty array");
        check(ArrayUtils.lowerBound(new int[] {-2, -2}, -2) == 0, "duplicates at the start");
        check(ArrayUtils.lowerBound(new int[] {-2, -2}, -1) == 2, "past duplicates");
    }

    public static void main(String[] args) {
        testLowerBound();
        testLowerBoundEdges();
    }
}
