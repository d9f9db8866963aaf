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

    static void testSameTreeEmpty() {
        check(new BinarySearchTree().sameAs(new BinarySearchTree()), "two empty trees are the same");
        check(!new BinarySearchTree().sameAs(tree(1)), "empty vs one node");
        check(!tree(1).sameAs(new BinarySearchTree()), "one node vs empty");
    }

    static void testSameTreeEqual() {
        check(tree(50, 30, 70, 20).sameAs(tree(50, 30, 70, 20)), "same inserts");
        check(tree(2, 1, 3).sameAs(tree(2, 3, 1)), "same shape from a different insert order");
    }

    static void testSameTreeDifferent() {
        check(!tree(2, 1, 3).sameAs(tree(1, 2, 3)), "same keys, different shape");
        check(!tree(2, 1, 3).sameAs(tree(2, 1, 4)), "different key");
        check(!tree(5, 3).sameAs(tree(5, 3, 4)), "extra node");
    }

    public static void main(String[] args) {
        testSameTreeEmpty();
        testSameTreeEqual();
        testSameTreeDifferent();
    }
}
