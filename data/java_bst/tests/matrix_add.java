import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testAdd() {
        int[][] a = {{1, 2}, {3, 4}};
        int[][] b = {{10, 20}, {-3, 0}};
        check(Arrays.deepEquals(Matrix.add(a, b), new int[][] {{11, 22}, {0, 4}}), "got " + Arrays.deepToString(Matrix.add(a, b)));
        check(Arrays.deepEquals(Matrix.add(new int[][] {{1, 2, 3}}, new int[][] {{1, 1, 1}}), new int[][] {{2, 3, 4}}), "one row");
    }

    static void testAddMismatch() {
        try {
            Matrix.add(new int[][] {{1, 2}}, new int[][] {{1}, {2}});
            check(false, "different dimensions must throw IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testAdd();
        testAddMismatch();
    }
}
