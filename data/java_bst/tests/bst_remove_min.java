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

    static void testRemoveMinEmptyThrows() {
        try {
            new BinarySearchTree().removeMin();
            check(false, "removeMin() of an empty tree must throw NoSuchElementException");
        } catch (NoSuchElementException e) {
            // expected
        }
    }

    static void testRemoveMinSequence() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 25);
        check(t.removeMin() == 20, "first min 20");
        check(t.preOrder().equals(List.of(50, 30, 25, 40, 70)), "20 removed, 25 kept: " + t.preOrder());
        check(t.removeMin() == 25, "then 25");
        check(t.removeMin() == 30, "then 30");
        check(t.size() == 3, "size 3, got " + t.size());
    }

    static void testRemoveMinRoot() {
        BinarySearchTree t = tree(5, 8, 7, 9);
        check(t.removeMin() == 5, "root is the min");
        check(t.preOrder().equals(List.of(8, 7, 9)), "right child becomes root: " + t.preOrder());
        BinarySearchTree one = tree(-3);
        check(one.removeMin() == -3, "single negative key");
        check(one.size() == 0 && one.preOrder().isEmpty(), "now empty");
    }

    public static void main(String[] args) {
        testRemoveMinEmptyThrows();
        testRemoveMinSequence();
        testRemoveMinRoot();
    }
}
