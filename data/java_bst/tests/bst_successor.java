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

    static void testSuccessorEmpty() {
        check(new BinarySearchTree().successor(5) == null, "empty tree has no successor");
    }

    static void testSuccessorPresentKeys() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(Integer.valueOf(30).equals(t.successor(20)), "successor(20) = 30, got " + t.successor(20));
        check(Integer.valueOf(50).equals(t.successor(40)), "successor(40) = 50, got " + t.successor(40));
        check(Integer.valueOf(60).equals(t.successor(50)), "successor(50) = 60, got " + t.successor(50));
        check(t.successor(80) == null, "largest key has no successor");
    }

    static void testSuccessorAbsentKeys() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(Integer.valueOf(20).equals(t.successor(-5)), "successor(-5) = 20");
        check(Integer.valueOf(70).equals(t.successor(65)), "successor(65) = 70");
        check(t.successor(99) == null, "nothing above 99");
    }

    public static void main(String[] args) {
        testSuccessorEmpty();
        testSuccessorPresentKeys();
        testSuccessorAbsentKeys();
    }
}
