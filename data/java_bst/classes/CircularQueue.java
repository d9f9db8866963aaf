import java.util.NoSuchElementException;

/** A first-in, first-out queue of int values in a fixed-size circular buffer. */
public class CircularQueue {

    private final int[] items;
    private int head;
    private int size;

    /** Creates an empty queue that holds at most capacity values. */
    public CircularQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        items = new int[capacity];
    }

    /** Returns the number of values in the queue. */
    public int size() {
        return size;
    }

    /** Returns true if the queue holds no values. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Returns the maximum number of values the queue can hold. */
    public int capacity() {
        return items.length;
    }

    // @task queue_is_full train
    /** Returns true if the queue holds capacity() values. */
    public boolean isFull() {
        return size == items.length;
    }

    // @task queue_enqueue train
    /**
     * Adds a value at the back of the queue.
     * Returns false, and leaves the queue unchanged, if the queue is full.
     */
    public boolean enqueue(int value) {
        if (size == items.length) {
            return false;
        }
        items[(head + size) % items.length] = value;
        size++;
        return true;
    }

    // @task queue_dequeue train
    /**
     * Removes and returns the value at the front of the queue.
     * Throws NoSuchElementException if the queue is empty.
     */
    public int dequeue() {
        if (size == 0) {
            throw new NoSuchElementException("empty queue");
        }
        int value = items[head];
        head = (head + 1) % items.length;
        size--;
        return value;
    }

    // @task queue_peek eval
    /**
     * Returns the value at the front of the queue without removing it.
     * Throws NoSuchElementException if the queue is empty.
     */
    public int peek() {
        if (size == 0) {
            throw new NoSuchElementException("empty queue");
        }
        return items[head];
    }

    // @task queue_to_array eval
    /** Returns the values from the front to the back of the queue. */
    public int[] toArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = items[(head + i) % items.length];
        }
        return out;
    }
}
