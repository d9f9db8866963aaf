import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testDequeueOrder() {
        CircularQueue q = new CircularQueue(4);
        q.enqueue(5);
        q.enqueue(-6);
        q.enqueue(7);
        check(q.dequeue() == 5, "dequeue 5");
        check(q.dequeue() == -6, "dequeue -6");
        check(q.size() == 1, "size 1, got " + q.size());
    }

    static void testDequeueWrapsAround() {
        CircularQueue q = new CircularQueue(2);
        for (int i = 1; i <= 6; i++) {
            q.enqueue(i);
            check(q.dequeue() == i, "dequeue " + i);
        }
        check(q.isEmpty(), "empty at the end");
    }

    static void testDequeueEmpty() {
        try {
            new CircularQueue(3).dequeue();
            check(false, "dequeue() of an empty queue must throw NoSuchElementException");
        } catch (NoSuchElementException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testDequeueOrder();
        testDequeueWrapsAround();
        testDequeueEmpty();
    }
}
