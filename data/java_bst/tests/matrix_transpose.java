import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testTransposeSquare() {
        int[][] m = {{1, 2}, {3, 4}};
        check(Arrays.deepEquals(Matrix.transpose(m), new int[][] {{1, 3}, {2, 4}}), "got " + Arrays.deepToString(Matrix.transpose(m)));
        check(m[0][1] == 2, "input unchanged");
    }

    static void testTransposeRectangular() {
        int[][] m = {{1, 2, 3}, {4, 5, 6}};
        check(Arrays.deepEquals(Matrix.transpose(m), new int[][] {{1, 4}, {2, 5}, {3, 6}}), "2x3 -> 3x2: " + Arrays.deepToString(Matrix.transpose(m)));
        check(Arrays.deepEquals(Matrix.transpose(new int[][] {{7, -8}}), new int[][] {{7}, {-8}}), "row to column");
    }

    public static void main(String[] args) {
        testTransposeSquare();
        testTransposeRectangular();
    }
}
