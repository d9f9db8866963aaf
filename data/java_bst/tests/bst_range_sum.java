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

    static void testRangeSumEmpty() {
        check(BinarySearchTree.rangeSum(null, -100, 100) == 0, "empty tree");
    }

    static void testRangeSumValues() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(BinarySearchTree.rangeSum(t.getRoot(), 30, 60) == 180, "[30, 60] sums to 180, got " + BinarySearchTree.rangeSum(t.getRoot(), 30, 60));
        check(BinarySearchTree.rangeSum(t.getRoot(), 0, 100) == 350, "everything sums to 350");
        check(BinarySearchTree.rangeSum(t.getRoot(), 41, 49) == 0, "gap");
        check(BinarySearchTree.rangeSum(t.getRoot(), 80, 80) == 80, "single key");
    }

    static void testRangeSumNegativeAndLarge() {
        BinarySearchTree t = tree(-5, -10, 0, 5);
        check(BinarySearchTree.rangeSum(t.getRoot(), -10, -1) == -15, "negatives sum to -15");
        BinarySearchTree big = tree(Integer.MAX_VALUE, Integer.MAX_VALUE - 1);
        long expected = 2L * Integer.MAX_VALUE - 1;
        check(BinarySearchTree.rangeSum(big.getRoot(), 0, Integer.MAX_VALUE) == expected, "sum does not overflow int");
    }

    public static void main(String[] args) {
        testRangeSumEmpty();
        testRangeSumValues();
        testRangeSumNegativeAndLarge();
    }
}
