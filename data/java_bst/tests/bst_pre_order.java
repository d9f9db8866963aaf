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

    static void testPreOrderEmpty() {
        check(new BinarySearchTree().preOrder().isEmpty(), "empty tree gives an empty list");
    }

    static void testPreOrderShape() {
        check(tree(50, 30, 70, 20, 40, 60, 80).preOrder().equals(List.of(50, 30, 20, 40, 70, 60, 80)), "pre-order of a perfect tree: " + tree(50, 30, 70, 20, 40, 60, 80).preOrder());
        check(tree(1, 2, 3).preOrder().equals(List.of(1, 2, 3)), "right chain");
        check(tree(3, 2, 1).preOrder().equals(List.of(3, 2, 1)), "left chain");
    }

    static void testPreOrderSingle() {
        check(tree(-4).preOrder().equals(List.of(-4)), "single key");
        BinarySearchTree t = tree(10, 5, 1, 7, 40, 50);
        check(t.preOrder().equals(List.of(10, 5, 1, 7, 40, 50)), "got " + t.preOrder());
    }

    public static void main(String[] args) {
        testPreOrderEmpty();
        testPreOrderShape();
        testPreOrderSingle();
    }
}
