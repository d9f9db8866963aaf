import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testEnqueueOrder() {
        CircularQueue q = new CircularQueue(3);
        check(q.enqueue(1) && q.enqueue(2) && q.enqueue(3), "enqueue returns true while there is room");
        check(q.size() == 3, "size 3, got " + q.size());
        check(q.dequeue() == 1 && q.dequeue() == 2 && q.dequeue() == 3, "first in, first out");
    }

    static void testEnqueueFull() {
        CircularQueue q = new CircularQueue(2);
        q.enqueue(1);
        q.enqueue(2);
        check(!q.enqueue(3), "full queue returns false");
        check(q.size() == 2, "size unchanged");
        check(q.dequeue() == 1, "front unchanged");
    }

    static void testEnqueueWrapsAround() {
        CircularQueue q = new CircularQueue(3);
        q.enqueue(1);
        q.enqueue(2);
        q.dequeue();
        q.dequeue();
        for (int v : new int[] {7, 8, 9}) {
            check(q.enqueue(v), "room for " + v);
        }
        check(q.dequeue() == 7 && q.dequeue() == 8 && q.dequeue() == 9, "wrapped values in order");
    }

    public static void main(String[] args) {
        testEnqueueOrder();
        testEnqueueFull();
        testEnqueueWrapsAround();
    }
}
