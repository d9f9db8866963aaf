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

    static void testContainsEmpty() {
        BinarySearchTree t = new BinarySearchTree();
        check(!t.contains(0), "empty tree contains nothing");
        check(!t.contains(-1), "empty tree contains nothing");
    }

    static void testContainsPresent() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        for (int k : new int[] {50, 30, 70, 20, 40, 60, 80}) {
            check(t.contains(k), "contains(" + k + ") should be true");
        }
    }

    static void testContainsAbsent() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        for (int k : new int[] {0, -1, 10, 35, 55, 90, 49}) {
            check(!t.contains(k), "contains(" + k + ") should be false");
        }
    }

    static void testContainsNegative() {
        BinarySearchTree t = tree(-10, -20, 5);
        check(t.contains(-20), "contains(-20)");
        check(!t.contains(-15), "not contains(-15)");
    }

    public static void main(String[] args) {
        testContainsEmpty();
        testContainsPresent();
        testContainsAbsent();
        testContainsNegative();
    }
}
