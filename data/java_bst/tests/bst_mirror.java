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

    static void testMirrorEmpty() {
        BinarySearchTree t = new BinarySearchTree();
        t.mirror();
        check(t.preOrder().isEmpty(), "mirror of an empty tree is empty");
    }

    static void testMirrorReverses() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        t.mirror();
        check(t.preOrder().equals(List.of(50, 70, 80, 60, 30, 40, 20)), "pre-order: " + t.preOrder());
    }

    static void testMirrorTwiceAndChain() {
        BinarySearchTree t = tree(3, 1, 2, 5);
        t.mirror();
        check(t.preOrder().equals(List.of(3, 5, 1, 2)), "mirrored once: " + t.preOrder());
        t.mirror();
        check(t.preOrder().equals(List.of(3, 1, 2, 5)), "mirroring twice restores the tree: " + t.preOrder());
        BinarySearchTree chain = tree(1, 2, 3);
        chain.mirror();
        check(chain.preOrder().equals(List.of(1, 2, 3)), "a chain keeps its pre-order");
    }

    public static void main(String[] args) {
        testMirrorEmpty();
        testMirrorReverses();
        testMirrorTwiceAndChain();
    }
}
