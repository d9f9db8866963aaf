import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testCountValues() {
        SinglyLinkedList list = SinglyLinkedList.of(3, 1, 3, 3, -1, 0);
        check(list.count(3) == 3, "three 3s, got " + list.count(3));
        check(list.count(1) == 1, "one 1");
        check(list.count(-1) == 1, "one -1");
        check(list.count(0) == 1, "one 0");
    }

    static void testCountMissing() {
        check(SinglyLinkedList.of(1, 2).count(5) == 0, "missing value");
        check(new SinglyLinkedList().count(0) == 0, "empty list");
    }

    public static void main(String[] args) {
        testCountValues();
        testCountMissing();
    }
}
