import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testRemoveAtPositions() {
        SinglyLinkedList list = SinglyLinkedList.of(10, 20, 30, 40);
        check(list.removeAt(1) == 20, "removeAt(1) returns 20");
        check(list.toList().equals(List.of(10, 30, 40)), "got " + list.toList());
        check(list.removeAt(2) == 40, "remove the tail");
        check(list.removeAt(0) == 10, "remove the head");
        check(list.toList().equals(List.of(30)) && list.size() == 1, "got " + list.toList());
    }

    static void testRemoveAtOutOfBounds() {
        SinglyLinkedList list = SinglyLinkedList.of(1);
        for (int i : new int[] {-1, 1}) {
            try {
                list.removeAt(i);
                check(false, "removeAt(" + i + ") must throw IndexOutOfBoundsException");
            } catch (IndexOutOfBoundsException e) {
                // expected
            }
        }
        check(list.size() == 1, "list unchanged");
    }

    public static void main(String[] args) {
        testRemoveAtPositions();
        testRemoveAtOutOfBounds();
    }
}
