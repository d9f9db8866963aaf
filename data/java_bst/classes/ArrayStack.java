import java.util.Arrays;
import java.util.EmptyStackException;

/** A last-in, first-out stack of int values backed by a growable array. */
public class ArrayStack {

    private int[] items;
    private int size;

    /** Creates an empty stack with room for the given number of values before it grows. */
    public ArrayStack(int capacity) {
        items = new int[Math.max(1, capacity)];
    }

    /** Creates an empty stack. */
    public ArrayStack() {
        this(8);
    }

    /** Returns the number of values on the stack. */
    public int size() {
        return size;
    }

    /** Returns true if the stack holds no values. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Returns the values from the bottom to the top of the stack. */
    public int[] toArray() {
        return Arrays.copyOf(items, size);
    }

    // @task stack_push train
    /** Pushes a value on top of the stack, doubling the array when it is full. */
    public void push(int value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, items.length * 2);
        }
        items[size] = value;
        size++;
    }

    // @task stack_pop train
    /**
     * Removes and returns the top value.
     * Throws EmptyStackException if the stack is empty.
     */
    public int pop() {
        if (size == 0) {
            throw new EmptyStackException();
        }
        size--;
        return items[size];
    }

    // @task stack_peek eval
    /**
     * Returns the top value without removing it.
     * Throws EmptyStackException if the stack is empty.
     */
    public int peek() {
        if (size == 0) {
            throw new EmptyStackException();
        }
        return items[size - 1];
    }

    // @task stack_is_balanced train
    /**
     * Returns true if every bracket in s, one of ()[]{}, is closed by the matching bracket
     * in the right order. Other characters are ignored.
     */
    public static boolean isBalanced(String s) {
        ArrayStack stack = new ArrayStack();
        String open = "([{";
        String close = ")]}";
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (open.indexOf(c) >= 0) {
                stack.push(open.indexOf(c));
            } else if (close.indexOf(c) >= 0) {
                if (stack.isEmpty() || stack.pop() != close.indexOf(c)) {
                    return false;
                }
            }
        }
        return stack.isEmpty();
    }
}
