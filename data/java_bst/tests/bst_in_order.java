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

    static void testInOrderEmpty() {
        check(new BinarySearchTree().inOrder().isEmpty(), "empty tree gives an empty list");
    }

    static void testInOrderSorted() {
        check(tree(50, 30, 70, 20, 40, 60, 80).inOrder().equals(List.of(20, 30, 40, 50, 60, 70, 80)), "sorted order");
        check(tree(3, 2, 1).inOrder().equals(List.of(1, 2, 3)), "left chain");
        check(tree(1).inOrder().equals(List.of(1)), "single key");
    }

    static void testInOrderNegativesAndDuplicates() {
        BinarySearchTree t = tree(0, -7, 7, -7, 3, -2);
        check(t.inOrder().equals(List.of(-7, -2, 0, 3, 7)), "got " + t.inOrder());
    }

    public static void main(String[] args) {
        testInOrderEmpty();
        testInOrderSorted();
        testInOrderNegativesAndDuplicates();
    }
}
