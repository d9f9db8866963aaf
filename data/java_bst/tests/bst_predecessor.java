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

    static void testPredecessorEmpty() {
        check(new BinarySearchTree().predecessor(5) == null, "empty tree has no predecessor");
    }

    static void testPredecessorPresentKeys() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(Integer.valueOf(70).equals(t.predecessor(80)), "predecessor(80) = 70, got " + t.predecessor(80));
        check(Integer.valueOf(50).equals(t.predecessor(60)), "predecessor(60) = 50, got " + t.predecessor(60));
        check(Integer.valueOf(40).equals(t.predecessor(50)), "predecessor(50) = 40, got " + t.predecessor(50));
        check(t.predecessor(20) == null, "smallest key has no predecessor");
    }

    static void testPredecessorAbsentKeys() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(Integer.valueOf(80).equals(t.predecessor(1000)), "predecessor(1000) = 80");
        check(Integer.valueOf(30).equals(t.predecessor(35)), "predecessor(35) = 30");
        check(t.predecessor(-3) == null, "nothing below -3");
    }

    public static void main(String[] args) {
        testPredecessorEmpty();
        testPredecessorPresentKeys();
        testPredecessorAbsentKeys();
    }
}
