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

    static void testMinEmptyThrows() {
        BinarySearchTree t = new BinarySearchTree();
        try {
            t.min();
            check(false, "min() of an empty tree must throw NoSuchElementException");
        } catch (NoSuchElementException e) {
            // expected
        }
    }

    static void testMinValues() {
        check(tree(7).min() == 7, "single key 7");
        check(tree(50, 30, 70, 20, 40).min() == 20, "min of 50,30,70,20,40");
        check(tree(5, 6, 7, 8).min() == 5, "root is the min");
        check(tree(3, -4, 10, -8, 2).min() == -8, "negative min");
    }

    static void testMinAfterInserts() {
        BinarySearchTree t = tree(10);
        t.insert(4);
        check(t.min() == 4, "min after insert(4)");
        t.insert(2);
        check(t.min() == 2, "min after insert(2)");
    }

    public static void main(String[] args) {
        testMinEmptyThrows();
        testMinValues();
        testMinAfterInserts();
    }
}
