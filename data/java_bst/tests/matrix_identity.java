import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testIdentity() {
        check(Arrays.deepEquals(Matrix.identity(3), new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}), "3 by 3: " + Arrays.deepToString(Matrix.identity(3)));
        check(Arrays.deepEquals(Matrix.identity(1), new int[][] {{1}}), "1 by 1");
    }

    static void testIdentitySizes() {
        check(Matrix.identity(0).length == 0, "0 by 0");
        int[][] m = Matrix.identity(5);
        check(m.length == 5 && m[4].length == 5, "5 by 5");
        check(m[2][2] == 1 && m[2][3] == 0 && m[4][0] == 0, "diagonal ones only");
    }

    public static void main(String[] args) {
        testIdentity();
        testIdentitySizes();
    }
}
