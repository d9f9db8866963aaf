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

    static void testMaxEmptyThrows() {
        BinarySearchTree t = new BinarySearchTree();
        try {
            t.max();
            check(false, "max() of an empty tree must throw NoSuchElementException");
        } catch (NoSuchElementException e) {
            // expected
        }
    }

    static void testMaxValues() {
        check(tree(7).max() == 7, "single key 7");
        check(tree(50, 30, 70, 20, 40, 80).max() == 80, "max of 50,30,70,20,40,80");
        check(tree(9, 6, 7, 3).max() == 9, "root is the max");
        check(tree(-3, -4, -10, -8).max() == -3, "negative max");
    }

    static void testMaxAfterInserts() {
        BinarySearchTree t = tree(10);
        t.insert(14);
        check(t.max() == 14, "max after insert(14)");
        t.insert(12);
        check(t.max() == 14, "max after insert(12)");
    }

    public static void main(String[] args) {
        testMaxEmptyThrows();
        testMaxValues();
        testMaxAfterInserts();
    }
}
