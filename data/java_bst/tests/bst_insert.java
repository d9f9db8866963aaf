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

    static void testInsertIntoEmpty() {
        BinarySearchTree t = new BinarySearchTree();
        check(t.insert(5), "insert into an empty tree returns true");
        check(t.size() == 1, "size after one insert is 1, got " + t.size());
        check(t.preOrder().equals(List.of(5)), "preOrder after insert(5): " + t.preOrder());
    }

    static void testInsertKeepsOrder() {
        BinarySearchTree t = tree(50, 30, 70, 20, 40, 60, 80);
        check(t.preOrder().equals(List.of(50, 30, 20, 40, 70, 60, 80)), "preOrder shows the shape: " + t.preOrder());
        check(t.size() == 7, "size is 7, got " + t.size());
    }

    static void testInsertDuplicate() {
        BinarySearchTree t = tree(8, 3, 10);
        check(!t.insert(3), "inserting a duplicate returns false");
        check(!t.insert(8), "inserting the root key again returns false");
        check(t.size() == 3, "duplicates do not change size, got " + t.size());
        check(t.insert(4), "inserting a new key returns true");
        check(t.preOrder().equals(List.of(8, 3, 4, 10)), "preOrder: " + t.preOrder());
    }

    static void testInsertNegativesAndChain() {
        BinarySearchTree t = tree(-1, -5, -3, 0, 7);
        check(t.preOrder().equals(List.of(-1, -5, -3, 0, 7)), "negative keys: " + t.preOrder());
        BinarySearchTree chain = tree(5, 4, 3, 2, 1);
        check(chain.preOrder().equals(List.of(5, 4, 3, 2, 1)), "descending inserts build a left chain: " + chain.preOrder());
        check(chain.contains(1) && !chain.contains(6), "contains after inserts");
    }

    public static void main(String[] args) {
        testInsertIntoEmpty();
        testInsertKeepsOrder();
        testInsertDuplicate();
        testInsertNegativesAndChain();
    }
}
