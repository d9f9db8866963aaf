import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static BinarySearchTree tree(int... keys) {
        BinarySearchTree t = new BinarySearchTree();
        for (int k : keys) {
            t.insert(k);
        }
        return t;
    }

    static void testRangeCountEmpty() {
        check(new BinarySearchTree().rangeCount(-100, 100) == 0, "empty tree");
    }

    static void testRangeCountValues() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(t.rangeCount(30, 60) == 4, "[30, 60] holds 4, got " + t.rangeCount(30, 60));
        check(t.rangeCount(0, 100) == 7, "everything");
        check(t.rangeCount(41, 49) == 0, "gap");
        check(t.rangeCount(80, 80) == 1, "single key bound");
        check(t.rangeCount(21, 79) == 5, "inner keys");
        check(t.rangeCount(60, 30) == 0, "empty range");
    }

    static void testRangeCountNegative() {
        BinarySearchTree t = tree(-5, -10, 0, 5);
        check(t.rangeCount(-10, -1) == 2, "[-10, -1] holds 2");
    }

    public static void main(String[] args) {
        testRangeCountEmpty();
        testRangeCountValues();
        testRangeCountNegative();
    }
}
