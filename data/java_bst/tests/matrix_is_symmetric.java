import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testSymmetric() {
        check(Matrix.isSymmetric(new int[][] {{1, 2}, {2, 1}}), "2 by 2");
        check(Matrix.isSymmetric(new int[][] {{5}}), "1 by 1");
        check(Matrix.isSymmetric(new int[][] {{1, 7, 3}, {7, 4, -5}, {3, -5, 6}}), "3 by 3");
    }

    static void testNotSymmetric() {
        check(!Matrix.isSymmetric(new int[][] {{1, 2}, {3, 1}}), "2 by 2");
        check(!Matrix.isSymmetric(new int[][] {{1, 2, 3}, {2, 1, 3}}), "not square");
        check(!Matrix.isSymmetric(new int[][] {{1, 7, 3}, {7, 4, -5}, {3, 5, 6}}), "one pair differs");
    }

    public static void main(String[] args) {
        testSymmetric();
        testNotSymmetric();
    }
}
