import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testRotateLeft() {
        int[] a = {1, 2, 3, 4, 5};
        ArrayUtils.rotateLeft(a, 2);
        check(Arrays.equals(a, new int[] {3, 4, 5, 1, 2}), "rotate by 2: " + Arrays.toString(a));
        int[] b = {1, 2, 3};
        ArrayUtils.rotateLeft(b, 4);
        check(Arrays.equals(b, new int[] {2, 3, 1}), "k larger than the length: " + Arrays.toString(b));
    }

    static void testRotateLeftEdges() {
        int[] a = {1, 2, 3};
        ArrayUtils.rotateLeft(a, 0);
        check(Arrays.equals(a, new int[] {1, 2, 3}), "k = 0");
        ArrayUtils.rotateLeft(a, 3);
        check(Arrays.equals(a, new int[] {1, 2, 3}), "k = length");
        ArrayUtils.rotateLeft(a, -1);
        check(Arrays.equals(a, new int[] {3, 1, 2}), "negative k rotates right: " + Arrays.toString(a));
        int[] empty = {};
        ArrayUtils.rotateLeft(empty, 3);
        check(empty.length == 0, "empty array");
    }

    public static void main(String[] args) {
        testRotateLeft();
        testRotateLeftEdges();
    }
}
