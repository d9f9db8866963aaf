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

    static void testFloorEmpty() {
        check(new BinarySearchTree().floor(5) == null, "empty tree has no floor");
    }

    static void testFloorValues() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(Integer.valueOf(40).equals(t.floor(40)), "floor of a present key is the key, got " + t.floor(40));
        check(Integer.valueOf(40).equals(t.floor(45)), "floor(45) = 40, got " + t.floor(45));
        check(Integer.valueOf(80).equals(t.floor(100)), "floor(100) = 80");
        check(Integer.valueOf(50).equals(t.floor(59)), "floor(59) = 50");
        check(t.floor(19) == null, "nothing at or below 19");
    }

    static void testFloorNegative() {
        BinarySearchTree t = tree(-10, -20, 0);
        check(Integer.valueOf(-10).equals(t.floor(-1)), "floor(-1) = -10");
        check(Integer.valueOf(-20).equals(t.floor(-20)), "floor(-20) = -20");
    }

    public static void main(String[] args) {
        testFloorEmpty();
        testFloorValues();
        testFloorNegative();
    }
}
