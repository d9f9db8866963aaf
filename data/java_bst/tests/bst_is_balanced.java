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

    static BinarySearchTree.Node node(int key, BinarySearchTree.Node left, BinarySearchTree.Node right) {
        BinarySearchTree.Node n = new BinarySearchTree.Node(key);
        n.left = left;
        n.right = right;
        return n;
    }

    static void testBalancedTrees() {
        BinarySearchTree t = new BinarySearchTree();
        check(t.isBalanced(null), "an empty tree is balanced");
        check(t.isBalanced(tree(1).getRoot()), "a single node is balanced");
        check(t.isBalanced(tree(50, 30, 70, 20, 40, 60, 80).getRoot()), "a perfect tree is balanced");
        check(t.isBalanced(tree(2, 1, 3, 4).getRoot()), "heights differ by one");
    }

    static void testUnbalancedTrees() {
        BinarySearchTree t = new BinarySearchTree();
        check(!t.isBalanced(tree(1, 2, 3).getRoot()), "a chain of 3 is not balanced");
        check(!t.isBalanced(tree(10, 5, 15, 3, 4).getRoot()), "left subtree too deep");
    }

    static void testUnbalancedBelowRoot() {
        BinarySearchTree t = new BinarySearchTree();
        BinarySearchTree.Node left = node(2, node(1, node(0, null, null), null), null);
        BinarySearchTree.Node right = node(8, node(7, null, null), node(9, null, null));
        BinarySearchTree.Node root = node(5, left, node(6, null, right));
        check(!t.isBalanced(root), "root heights 3 and 3, but node 2 is unbalanced");
        check(!t.isBalanced(left), "node 2 alone is unbalanced");
        check(t.isBalanced(right), "node 8 is balanced");
    }

    public static void main(String[] args) {
        testBalancedTrees();
        testUnbalancedTrees();
        testUnbalancedBelowRoot();
    }
}
