import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testAddLastToEmpty() {
        SinglyLinkedList list = new SinglyLinkedList();
        list.addLast(4);
        check(list.toList().equals(List.of(4)), "one value: " + list.toList());
        check(list.size() == 1, "size 1, got " + list.size());
    }

    static void testAddLastOrder() {
        SinglyLinkedList list = new SinglyLinkedList();
        list.addLast(1);
        list.addLast(2);
        list.addLast(-3);
        list.addLast(2);
        check(list.toList().equals(List.of(1, 2, -3, 2)), "values in order: " + list.toList());
        check(list.size() == 4, "size 4, got " + list.size());
    }

    static void testAddLastAfterAddFirst() {
        SinglyLinkedList list = SinglyLinkedList.of(5, 6);
        list.addFirst(4);
        list.addLast(7);
        check(list.toList().equals(List.of(4, 5, 6, 7)), "got " + list.toList());
    }

    public static void main(String[] args) {
        testAddLastToEmpty();
        testAddLastOrder();
        testAddLastAfterAddFirst();
    }
}
