import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testIsFull() {
        CircularQueue q = new CircularQueue(2);
        check(!q.isFull(), "empty queue is not full");
        q.enqueue(1);
        check(!q.isFull(), "one of two");
        q.enqueue(2);
        check(q.isFull(), "two of two");
        q.dequeue();
        check(!q.isFull(), "after dequeue");
    }

    static void testIsFullCapacityOne() {
        CircularQueue q = new CircularQueue(1);
        q.enqueue(5);
        check(q.isFull(), "capacity one");
    }

    public static void main(String[] args) {
        testIsFull();
        testIsFullCapacityOne();
    }
}
