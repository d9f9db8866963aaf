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

    static void testCeilingEmpty() {
        check(new BinarySearchTree().ceiling(5) == null, "empty tree has no ceiling");
    }

    static void testCeilingValues() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(Integer.valueOf(40).equals(t.ceiling(40)), "ceiling of a present key is the key, got " + t.ceiling(40));
        check(Integer.valueOf(50).equals(t.ceiling(45)), "ceiling(45) = 50, got " + t.ceiling(45));
        check(Integer.valueOf(20).equals(t.ceiling(-100)), "ceiling(-100) = 20");
        check(Integer.valueOf(60).equals(t.ceiling(51)), "ceiling(51) = 60");
        check(t.ceiling(81) == null, "nothing at or above 81");
    }

    static void testCeilingNegative() {
        BinarySearchTree t = tree(-10, -20, 0);
        check(Integer.valueOf(-10).equals(t.ceiling(-19)), "ceiling(-19) = -10");
        check(Integer.valueOf(0).equals(t.ceiling(-9)), "ceiling(-9) = 0");
    }

    public static void main(String[] args) {
        testCeilingEmpty();
        testCeilingValues();
        testCeilingNegative();
    }
}
