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

    static void testLcaBasic() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(t.lowestCommonAncestor(20, 40) == 30, "lca(20, 40) = 30, got " + t.lowestCommonAncestor(20, 40));
        check(t.lowestCommonAncestor(20, 80) == 50, "lca(20, 80) = 50");
        check(t.lowestCommonAncestor(60, 80) == 70, "lca(60, 80) = 70");
    }

    static void testLcaAncestorOfItself() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(t.lowestCommonAncestor(30, 40) == 30, "a node is its own ancestor");
        check(t.lowestCommonAncestor(70, 70) == 70, "same key");
        check(t.lowestCommonAncestor(80, 50) == 50, "argument order does not matter");
    }

    static void testLcaDeep() {
        BinarySearchTree t = tree(10, 5, 15, 3, 7, 6, 8, -2);
        check(t.lowestCommonAncestor(6, 8) == 7, "lca(6, 8) = 7");
        check(t.lowestCommonAncestor(-2, 6) == 5, "lca(-2, 6) = 5");
    }

    public static void main(String[] args) {
        testLcaBasic();
        testLcaAncestorOfItself();
        testLcaDeep();
    }
}
