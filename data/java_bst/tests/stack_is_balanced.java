import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testBalanced() {
        check(ArrayStack.isBalanced(""), "empty string");
        check(ArrayStack.isBalanced("()[]{}"), "()[]{}");
        check(ArrayStack.isBalanced("{[()()]}"), "{[()()]}");
        check(ArrayStack.isBalanced("a(b)c[d]"), "other characters are ignored");
    }

    static void testUnbalanced() {
        check(!ArrayStack.isBalanced("("), "unclosed");
        check(!ArrayStack.isBalanced(")("), "closed before opened");
        check(!ArrayStack.isBalanced("([)]"), "crossed");
        check(!ArrayStack.isBalanced("{]"), "wrong bracket");
        check(!ArrayStack.isBalanced("(()"), "one left open");
    }

    public static void main(String[] args) {
        testBalanced();
        testUnbalanced();
    }
}
