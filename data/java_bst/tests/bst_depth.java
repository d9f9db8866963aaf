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

    static void testDepthEmpty() {
        check(new BinarySearchTree().depth(1) == -1, "empty tree");
    }

    static void testDepthPresent() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80, 65);
        check(t.depth(50) == 0, "root at depth 0");
        check(t.depth(30) == 1, "depth(30) = 1, got " + t.depth(30));
        check(t.depth(80) == 2, "depth(80) = 2");
        check(t.depth(65) == 3, "depth(65) = 3");
    }

    static void testDepthAbsent() {
        BinarySearchTree t = tree(50, 30, 70);
        check(t.depth(31) == -1, "absent key");
        check(t.depth(-50) == -1, "absent negative key");
    }

    public static void main(String[] args) {
        testDepthEmpty();
        testDepthPresent();
        testDepthAbsent();
    }
}
