import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testGetValues() {
        SinglyLinkedList list = SinglyLinkedList.of(10, 20, 30, -40);
        check(list.get(0) == 10, "get(0)");
        check(list.get(1) == 20, "get(1)");
        check(list.get(3) == -40, "get(3), got " + list.get(3));
    }

    static void testGetOutOfBounds() {
        SinglyLinkedList list = SinglyLinkedList.of(1, 2);
        for (int i : new int[] {-1, 2, 5}) {
            try {
                list.get(i);
                check(false, "get(" + i + ") must throw IndexOutOfBoundsException");
            } catch (IndexOutOfBoundsException e) {
                // expected
            }
        }
        try {
            new SinglyLinkedList().get(0);
            check(false, "get(0) of an empty list must throw");
        } catch (IndexOutOfBoundsException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testGetValues();
        testGetOutOfBounds();
    }
}
