import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testTrace() {
        check(Matrix.trace(new int[][] {{1, 2}, {3, 4}}) == 5, "got " + Matrix.trace(new int[][] {{1, 2}, {3, 4}}));
        check(Matrix.trace(new int[][] {{-7}}) == -7, "1 by 1");
        check(Matrix.trace(new int[][] {{2, 9, 9}, {9, 3, 9}, {9, 9, 4}}) == 9, "3 by 3");
        check(Matrix.trace(new int[][] {{Integer.MAX_VALUE, 0}, {0, Integer.MAX_VALUE}}) == 2L * Integer.MAX_VALUE, "no int overflow");
    }

    static void testTraceNotSquare() {
        try {
            Matrix.trace(new int[][] {{1, 2, 3}, {4, 5, 6}});
            check(false, "a 2x3 matrix must throw IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testTrace();
        testTraceNotSquare();
    }
}
