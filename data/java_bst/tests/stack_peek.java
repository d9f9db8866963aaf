import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testPeek() {
        ArrayStack s = new ArrayStack();
        s.push(4);
        check(s.peek() == 4, "peek 4");
        s.push(9);
        check(s.peek() == 9, "peek 9");
        check(s.size() == 2, "peek does not remove, size " + s.size());
        check(s.peek() == 9, "peek again 9");
    }

    static void testPeekEmpty() {
        try {
            new ArrayStack().peek();
            check(false, "peek() of an empty stack must throw EmptyStackException");
        } catch (EmptyStackException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testPeek();
        testPeekEmpty();
    }
}
