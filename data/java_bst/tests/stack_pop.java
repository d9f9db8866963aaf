import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testPopOrder() {
        ArrayStack s = new ArrayStack();
        s.push(1);
        s.push(2);
        s.push(3);
        check(s.pop() == 3, "pop 3");
        check(s.pop() == 2, "pop 2");
        check(s.size() == 1, "size 1, got " + s.size());
        s.push(-7);
        check(s.pop() == -7, "pop -7");
        check(s.pop() == 1, "pop 1");
        check(s.isEmpty(), "empty again");
    }

    static void testPopEmpty() {
        ArrayStack s = new ArrayStack();
        try {
            s.pop();
            check(false, "pop() of an empty stack must throw EmptyStackException");
        } catch (EmptyStackException e) {
            // expected
        }
    }

    public static void main(String[] args) {
        testPopOrder();
        testPopEmpty();
    }
}
