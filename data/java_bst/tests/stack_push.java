import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testPushOrder() {
        ArrayStack s = new ArrayStack();
        s.push(1);
        s.push(-2);
        s.push(3);
        check(Arrays.equals(s.toArray(), new int[] {1, -2, 3}), "bottom to top: " + Arrays.toString(s.toArray()));
        check(s.size() == 3, "size 3, got " + s.size());
    }

    static void testPushGrows() {
        ArrayStack s = new ArrayStack(2);
        for (int i = 0; i < 20; i++) {
            s.push(i * i);
        }
        check(s.size() == 20, "size 20, got " + s.size());
        check(s.toArray()[19] == 361 && s.toArray()[0] == 0, "values kept across growth");
        check(s.pop() == 361, "top is the last pushed");
    }

    public static void main(String[] args) {
        testPushOrder();
        testPushGrows();
    }
}
