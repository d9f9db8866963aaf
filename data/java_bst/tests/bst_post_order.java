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

    static void testPostOrderEmpty() {
        check(new BinarySearchTree().postOrder().isEmpty(), "empty tree gives an empty list");
    }

    static void testPostOrderShape() {
        check(tree(50, 30, 70, 20, 40, 60, 80).postOrder().equals(List.of(20, 40, 30, 60, 80, 70, 50)), "post-order: " + tree(50, 30, 70, 20, 40, 60, 80).postOrder());
        check(tree(1, 2, 3).postOrder().equals(List.of(3, 2, 1)), "right chain");
        check(tree(2, 1, 3).postOrder().equals(List.of(1, 3, 2)), "three nodes");
    }

    static void testPostOrderSingle() {
        check(tree(9).postOrder().equals(List.of(9)), "single key");
    }

    public static void main(String[] args) {
        testPostOrderEmpty();
        testPostOrderShape();
        testPostOrderSingle();
    }
}
