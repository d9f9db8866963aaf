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

    static void testDeleteLeaf() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(t.delete(20), "delete of a present key returns true");
        check(t.preOrder().equals(List.of(50, 30, 40, 70, 60, 80)), "after deleting leaf 20: " + t.preOrder());
        check(t.size() == 6, "size 6, got " + t.size());
    }

    static void testDeleteOneChild() {
        BinarySearchTree t = tree(50, 30, 70, 20, 60);
        check(t.delete(30), "delete 30");
        check(t.preOrder().equals(List.of(50, 20, 70, 60)), "20 takes the place of 30: " + t.preOrder());
        check(t.delete(70), "delete 70");
        check(t.preOrder().equals(List.of(50, 20, 60)), "60 takes the place of 70: " + t.preOrder());
    }

    static void testDeleteTwoChildrenAndRoot() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(t.delete(50), "delete the root");
        check(t.preOrder().equals(List.of(60, 30, 20, 40, 70, 80)), "successor 60 replaces the root: " + t.preOrder());
        check(t.delete(30), "delete 30");
        check(t.preOrder().equals(List.of(60, 40, 20, 70, 80)), "successor 40 replaces 30: " + t.preOrder());
    }

    static void testDeleteAbsentAndLast() {
        BinarySearchTree t = tree(5);
        check(!t.delete(6), "absent key returns false");
        check(t.size() == 1, "size unchanged");
        check(t.delete(5), "delete the only key");
        check(t.preOrder().isEmpty() && t.size() == 0, "tree is empty");
        check(!t.delete(5), "deleting from an empty tree returns false");
    }

    public static void main(String[] args) {
        testDeleteLeaf();
        testDeleteOneChild();
        testDeleteTwoChildrenAndRoot();
        testDeleteAbsentAndLast();
    }
}
