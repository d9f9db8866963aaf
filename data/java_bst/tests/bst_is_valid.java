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

    static boolean valid(BinarySearchTree.Node n) {
        return BinarySearchTree.isValidBST(n, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    static void testValidTrees() {
        check(valid(null), "an empty tree is valid");
        check(valid(node(5, null, null)), "a single node is valid");
        check(tree(50, 30, 70, 20, 40, 60, 80).isValid(), "a tree built by insert is valid");
        check(valid(node(2, node(1, null, null), node(3, null, null))), "2 with children 1 and 3");
        check(valid(node(Integer.MIN_VALUE, null, node(Integer.MAX_VALUE, null, null))), "extreme keys are valid");
    }

    static void testInvalidChildren() {
        check(!valid(node(2, node(3, null, null), null)), "left child larger than parent");
        check(!valid(node(2, null, node(1, null, null))), "right child smaller than parent");
        check(!valid(node(2, node(2, null, null), null)), "duplicate key");
    }

    static void testInvalidDeep() {
        BinarySearchTree.Node bad = node(10, node(5, null, node(12, null, null)), node(15, null, null));
        check(!valid(bad), "12 in the left subtree of 10");
        BinarySearchTree.Node bad2 = node(10, node(5, null, null), node(15, node(8, null, null), null));
        check(!valid(bad2), "8 in the right subtree of 10");
        check(!BinarySearchTree.isValidBST(node(5, null, null), 5, 10), "key equal to the low bound");
        check(BinarySearchTree.isValidBST(node(7, null, null), 5, 10), "key inside the bounds");
    }

    public static void main(String[] args) {
        testValidTrees();
        testInvalidChildren();
        testInvalidDeep();
    }
}
