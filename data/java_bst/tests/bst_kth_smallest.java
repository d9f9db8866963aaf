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

    static void testKthSmallest() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        int[] expected = {20, 30, 40, 50, 60, 70, 80};
        for (int k = 1; k <= 7; k++) {
            check(t.kthSmallest(k) == expected[k - 1], k + "-th smallest is " + expected[k - 1] + ", got " + t.kthSmallest(k));
        }
    }

    static void testKthSmallestChainAndNegatives() {
        check(tree(5, 4, 3, 2, 1).kthSmallest(2) == 2, "left chain");
        check(tree(-5, -9, -1).kthSmallest(1) == -9, "negatives");
        check(tree(-5, -9, -1).kthSmallest(3) == -1, "negatives");
    }

    static void testKthSmallestOutOfRange() {
        BinarySearchTree t = tree(3, 1, 2);
        for (int k : new int[] {0, 4, -1}) {
            try {
                t.kthSmallest(k);
                check(false, "k = " + k + " must throw IllegalArgumentException");
            } catch (IllegalArgumentException e) {
                // expected
            }
        }
        try {
            new BinarySearchTree().kthSmallest(1);
            check(false, "empty tree must throw IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testKthSmallest();
        testKthSmallestChainAndNegatives();
        testKthSmallestOutOfRange();
    }
}
