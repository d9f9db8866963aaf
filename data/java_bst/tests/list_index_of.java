import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testIndexOfFound() {
        SinglyLinkedList list = SinglyLinkedList.of(5, 7, 9, 7);
        check(list.indexOf(5) == 0, "indexOf(5) = 0");
        check(list.indexOf(7) == 1, "first occurrence of 7 is at 1, got " + list.indexOf(7));
        check(list.indexOf(9) == 2, "indexOf(9) = 2");
    }

    static void testIndexOfMissing() {
        check(SinglyLinkedList.of(5, 7).indexOf(0) == -1, "0 is missing");
        check(new SinglyLinkedList().indexOf(1) == -1, "empty list");
        check(SinglyLinkedList.of(-2, -1).indexOf(-1) == 1, "negative values");
    }

    public static void main(String[] args) {
        testIndexOfFound();
        testIndexOfMissing();
    }
}
