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

    static void testHeightEmptyAndSingle() {
        check(new BinarySearchTree().height() == 0, "empty tree has height 0");
        check(tree(42).height() == 1, "single node has height 1");
    }

    static void testHeightBalanced() {
        check(tree(50, 30, 70, 20, 40, 60, 80).height() == 3, "perfect tree of 7 has height 3");
        check(tree(2, 1, 3).height() == 2, "three nodes, height 2");
    }

    static void testHeightUnbalanced() {
        check(tree(1, 2, 3, 4).height() == 4, "right chain of 4");
        check(tree(10, 5, 15, 3, 4).height() == 4, "left-right zigzag, height 4, got " + tree(10, 5, 15, 3, 4).height());
        check(tree(5, 4, 3, 2, 1, 6).height() == 5, "left chain of 5 plus a right child");
    }

    public static void main(String[] args) {
        testHeightEmptyAndSingle();
        testHeightBalanced();
        testHeightUnbalanced();
    }
}
