import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testMiddleOdd() {
        check(SinglyLinkedList.of(1, 2, 3).middle() == 2, "middle of 1,2,3");
        check(SinglyLinkedList.of(9).middle() == 9, "single value");
        check(SinglyLinkedList.of(4, 5, 6, 7, 8).middle() == 6, "middle of five");
    }

    static void testMiddleEven() {
        check(SinglyLinkedList.of(1, 2).middle() == 2, "second of two middles");
        check(SinglyLinkedList.of(10, 20, 30, 40).middle() == 30, "second middle of four, got " + SinglyLinkedList.of(10, 20, 30, 40).middle());
    }

    static void testMiddleEmpty() {
        try {
            new SinglyLinkedList().middle();
            check(false, "middle() of an empty list must throw IllegalStateException");
        } catch (IllegalStateException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testMiddleOdd();
        testMiddleEven();
        testMiddleEmpty();
    }
}
