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

    static void testPathToEmpty() {
        check(new BinarySearchTree().pathTo(3).isEmpty(), "empty tree");
    }

    static void testPathToPresent() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80, 65);
        check(t.pathTo(65).equals(List.of(50, 70, 60, 65)), "path to 65: " + t.pathTo(65));
        check(t.pathTo(50).equals(List.of(50)), "path to the root");
        check(t.pathTo(40).equals(List.of(50, 30, 40)), "path to 40: " + t.pathTo(40));
    }

    static void testPathToAbsent() {
        BinarySearchTree t = tree(50, 30, 70);
        check(t.pathTo(35).isEmpty(), "absent key gives an empty list, got " + t.pathTo(35));
        check(tree(-1, -2).pathTo(-2).equals(List.of(-1, -2)), "negative keys");
    }

    public static void main(String[] args) {
        testPathToEmpty();
        testPathToPresent();
        testPathToAbsent();
    }
}
