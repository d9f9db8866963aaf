import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testRemoveChar() {
        check(StringUtils.removeChar("banana", 'a').equals("bnn"), "got " + StringUtils.removeChar("banana", 'a'));
        check(StringUtils.removeChar("hello world", ' ').equals("helloworld"), "spaces");
        check(StringUtils.removeChar("abc", 'z').equals("abc"), "absent character");
    }

    static void testRemoveCharEdges() {
        check(StringUtils.removeChar("", 'a').equals(""), "empty string");
        check(StringUtils.removeChar("aaaa", 'a').equals(""), "everything removed");
        check(StringUtils.removeChar("AaA", 'a').equals("AA"), "case sensitive");
    }

    public static void main(String[] args) {
        testRemoveChar();
        testRemoveCharEdges();
    }
}
