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

    static void testSumEmpty() {
        check(new BinarySearchTree().sum() == 0, "empty tree sums to 0");
    }

    static void testSumValues() {
        check(tree(50, 30, 70).sum() == 150, "50 + 30 + 70");
        check(tree(7).sum() == 7, "single key");
        check(tree(-5, -10, 3).sum() == -12, "negatives");
    }

    static void testSumLarge() {
        BinarySearchTree t = tree(Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 1);
        check(t.sum() == 2L * Integer.MAX_VALUE, "sum does not overflow int, got " + t.sum());
    }

    public static void main(String[] args) {
        testSumEmpty();
        testSumValues();
        testSumLarge();
    }
}
