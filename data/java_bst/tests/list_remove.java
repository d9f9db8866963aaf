import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testRemoveHeadMiddleTail() {
        SinglyLinkedList list = SinglyLinkedList.of(1, 2, 3, 4);
        check(list.remove(1), "remove the head");
        check(list.toList().equals(List.of(2, 3, 4)), "got " + list.toList());
        check(list.remove(3), "remove from the middle");
        check(list.remove(4), "remove the tail");
        check(list.toList().equals(List.of(2)), "got " + list.toList());
        check(list.size() == 1, "size 1, got " + list.size());
    }

    static void testRemoveFirstOccurrenceOnly() {
        SinglyLinkedList list = SinglyLinkedList.of(7, 8, 7, 8);
        check(list.remove(8), "remove 8");
        check(list.toList().equals(List.of(7, 7, 8)), "only the first 8 goes: " + list.toList());
    }

    static void testRemoveMissing() {
        SinglyLinkedList list = SinglyLinkedList.of(1, 2);
        check(!list.remove(3), "missing value returns false");
        check(list.size() == 2 && list.toList().equals(List.of(1, 2)), "list unchanged");
        check(!new SinglyLinkedList().remove(0), "empty list returns false");
    }

    public static void main(String[] args) {
        testRemoveHeadMiddleTail();
        testRemoveFirstOccurrenceOnly();
        testRemoveMissing();
    }
}
