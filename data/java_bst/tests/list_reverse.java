import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testReverseEmptyAndSingle() {
        SinglyLinkedList empty = new SinglyLinkedList();
        empty.reverse();
        check(empty.toList().isEmpty(), "empty stays empty");
        SinglyLinkedList one = SinglyLinkedList.of(3);
        one.reverse();
        check(one.toList().equals(List.of(3)), "single value");
    }

    static void testReverseMany() {
        SinglyLinkedList list = SinglyLinkedList.of(1, 2, 3, 4, 5);
        list.reverse();
        check(list.toList().equals(List.of(5, 4, 3, 2, 1)), "got " + list.toList());
        list.addFirst(6);
        check(list.toList().equals(List.of(6, 5, 4, 3, 2, 1)), "head is updated: " + list.toList());
        list.reverse();
        check(list.toList().equals(List.of(1, 2, 3, 4, 5, 6)), "reverse twice: " + list.toList());
    }

    public static void main(String[] args) {
        testReverseEmptyAndSingle();
        testReverseMany();
    }
}
