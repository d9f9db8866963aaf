import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testMultiply() {
        int[][] a = {{1, 2}, {3, 4}};
        int[][] b = {{5, 6}, {7, 8}};
        check(Arrays.deepEquals(Matrix.multiply(a, b), new int[][] {{19, 22}, {43, 50}}), "got " + Arrays.deepToString(Matrix.multiply(a, b)));
        check(Arrays.deepEquals(Matrix.multiply(a, new int[][] {{1, 0}, {0, 1}}), a), "identity");
    }

    static void testMultiplyRectangular() {
        int[][] a = {{1, 2, 3}};
        int[][] b = {{4}, {5}, {6}};
        check(Arrays.deepEquals(Matrix.multiply(a, b), new int[][] {{32}}), "1x3 times 3x1");
        check(Arrays.deepEquals(Matrix.multiply(b, a), new int[][] {{4, 8, 12}, {5, 10, 15}, {6, 12, 18}}), "3x1 times 1x3");
    }

    static void testMultiplyMismatch() {
        try {
            Matrix.multiply(new int[][] {{1, 2}}, new int[][] {{1, 2}});
            check(false, "mismatched dimensions must throw IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testMultiply();
        testMultiplyRectangular();
        testMultiplyMismatch();
    }
}
