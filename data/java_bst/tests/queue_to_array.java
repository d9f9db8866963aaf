import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testToArrayEmpty() {
        check(new CircularQueue(3).toArray().length == 0, "empty queue");
    }

    static void testToArrayOrder() {
        CircularQueue q = new CircularQueue(3);
        q.enqueue(1);
        q.enqueue(2);
        check(Arrays.equals(q.toArray(), new int[] {1, 2}), "got " + Arrays.toString(q.toArray()));
    }

    static void testToArrayWrapped() {
        CircularQueue q = new CircularQueue(3);
        q.enqueue(1);
        q.enqueue(2);
        q.enqueue(3);
        q.dequeue();
        q.dequeue();
        q.enqueue(4);
        q.enqueue(5);
        check(Arrays.equals(q.toArray(), new int[] {3, 4, 5}), "wrapped: " + Arrays.toString(q.toArray()));
        check(q.size() == 3, "toArray does not remove");
    }

    public static void main(String[] args) {
        testToArrayEmpty();
        testToArrayOrder();
        testToArrayWrapped();
    }
}
