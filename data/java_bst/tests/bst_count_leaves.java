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

    static void testCountLeavesEmptyAndSingle() {
        check(BinarySearchTree.countLeaves(null) == 0, "empty tree has no leaves");
        check(BinarySearchTree.countLeaves(tree(3).getRoot()) == 1, "a single node is a leaf");
    }

    static void testCountLeavesShapes() {
        check(BinarySearchTree.countLeaves(tree(50, 30, 70, 20, 40, 60, 80).getRoot()) == 4, "perfect tree of 7 has 4 leaves");
        check(BinarySearchTree.countLeaves(tree(1, 2, 3, 4).getRoot()) == 1, "a chain has 1 leaf");
        check(BinarySearchTree.countLeaves(tree(10, 5, 15, 12).getRoot()) == 2, "leaves 5 and 12");
        check(BinarySearchTree.countLeaves(tree(10, 5, 15, 3, 7, 12, 20, 1).getRoot()) == 4, "leaves 1, 7, 12, 20");
    }

    public static void main(String[] args) {
        testCountLeavesEmptyAndSingle();
        testCountLeavesShapes();
    }
}
