import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testPeek() {
        CircularQueue q = new CircularQueue(3);
        q.enqueue(4);
        q.enqueue(5);
        check(q.peek() == 4, "peek 4");
        check(q.size() == 2, "peek does not remove");
        q.dequeue();
        check(q.peek() == 5, "peek 5");
    }

    static void testPeekEmpty() {
        try {
            new CircularQueue(1).peek();
            check(false, "peek() of an empty queue must throw NoSuchElementException");
        } catch (NoSuchElementException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testPeek();
        testPeekEmpty();
    }
}
