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

    static void testLevelOrderEmpty() {
        check(new BinarySearchTree().levelOrder().isEmpty(), "empty tree gives an empty list");
    }

    static void testLevelOrderPerfect() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(t.levelOrder().equals(List.of(50, 30, 70, 20, 40, 60, 80)), "got " + t.levelOrder());
    }

    static void testLevelOrderUneven() {
        BinarySearchTree t = tree(10, 5, 15, 1, 20, 17, 3);
        check(t.levelOrder().equals(List.of(10, 5, 15, 1, 20, 3, 17)), "got " + t.levelOrder());
        check(tree(4).levelOrder().equals(List.of(4)), "single key");
        check(tree(1, 2, 3).levelOrder().equals(List.of(1, 2, 3)), "chain");
    }

    public static void main(String[] args) {
        testLevelOrderEmpty();
        testLevelOrderPerfect();
        testLevelOrderUneven();
    }
}
