import java.util.ArrayList;
import java.util.List;

/** A singly linked list of int values. */
public class SinglyLinkedList {

    /** A node of the list. */
    static class Node {
        int value;
        Node next;

        Node(int value, Node next) {
            this.value = value;
            this.next = next;
        }
    }

    private Node head;
    private int size;

    /** Returns a list holding the given values in order. */
    public static SinglyLinkedList of(int... values) {
        SinglyLinkedList list = new SinglyLinkedList();
        for (int i = values.length - 1; i >= 0; i--) {
            list.addFirst(values[i]);
        }
        return list;
    }

    /** Returns the number of values in the list. */
    public int size() {
        return size;
    }

    /** Returns true if the list holds no values. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** Adds a value at the front of the list. */
    public void addFirst(int value) {
        head = new Node(value, head);
        size++;
    }

    /** Returns the values in order as a java.util.List. */
    public List<Integer> toList() {
        List<Integer> out = new ArrayList<>();
        for (Node node = head; node != null; node = node.next) {
            out.add(node.value);
        }
        return out;
    }

    // @task list_add_last train
    /** Adds a value at the end of the list. */
    public void addLast(int value) {
        Node node = new Node(value, null);
        if (head == null) {
            head = node;
        } else {
            Node last = head;
            while (last.next != null) {
                last = last.next;
            }
            last.next = node;
        }
        size++;
    }

    // @task list_get train
    /**
     * Returns the value at the given index (0 is the first value).
     * Throws IndexOutOfBoundsException if the index is not in [0, size()).
     */
    public int get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        Node node = head;
        for (int i = 0; i < index; i++) {
            node = node.next;
        }
        return node.value;
    }

    // @task list_index_of train
    /** Returns the index of the first occurrence of the value, or -1 if it is not in the list. */
    public int indexOf(int value) {
        int index = 0;
        for (Node node = head; node != null; node = node.next) {
            if (node.value == value) {
                return index;
            }
            index++;
        }
        return -1;
    }

    // @task list_remove train
    /**
     * Removes the first occurrence of the value.
     * Returns true if a value was removed, false if it was not in the list.
     */
    public boolean remove(int value) {
        if (head == null) {
            return false;
        }
        if (head.value == value) {
            head = head.next;
            size--;
            return true;
        }
        Node prev = head;
        while (prev.next != null) {
            if (prev.next.value == value) {
                prev.next = prev.next.next;
                size--;
                return true;
            }
            prev = prev.next;
        }
        return false;
    }

    // @task list_reverse train
    /** Reverses the order of the values in place. */
    public void reverse() {
        Node prev = null;
        Node node = head;
        while (node != null) {
            Node next = node.next;
            node.next = prev;
            prev = node;
            node = next;
        }
        head = prev;
    }

    // @task list_middle eval
    /**
     * Returns the middle value; for an even size, the second of the two middle values.
     * Throws IllegalStateException if the list is empty.
     */
    public int middle() {
        if (head == null) {
            throw new IllegalStateException("empty list");
        }
        Node slow = head;
        Node fast = head;
        while (fast != null && fast.next != null) {
            slow = slow.next;
            fast = fast.next.next;
        }
        return slow.value;
    }

    // @task list_count eval
    /** Returns how many times the value occurs in the list. */
    public int count(int value) {
        int count = 0;
        for (Node node = head; node != null; node = node.next) {
            if (node.value == value) {
                count++;
            }
        }
        return count;
    }

    // @task list_remove_at train
    /**
     * Removes and returns the value at the given index.
     * Throws IndexOutOfBoundsException if the index is not in [0, size()).
     */
    public int removeAt(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + ", size " + size);
        }
        int value;
        if (index == 0) {
            value = head.value;
            head = head.next;
        } else {
            Node prev = head;
            for (int i = 0; i < index - 1; i++) {
                prev = prev.next;
            }
            value = prev.next.value;
            prev.next = prev.next.next;
        }
        size--;
        return value;
    }
}
