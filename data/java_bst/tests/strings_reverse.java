import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testReverse() {
        check(StringUtils.reverse("abc").equals("cba"), "abc, got " + StringUtils.reverse("abc"));
        check(StringUtils.reverse("Hello, World").equals("dlroW ,olleH"), "punctuation and case kept");
        check(StringUtils.reverse("ab").equals("ba"), "two characters");
    }

    static void testReverseSmall() {
        check(StringUtils.reverse("").equals(""), "empty string");
        check(StringUtils.reverse("x").equals("x"), "single character");
        check(StringUtils.reverse("noon").equals("noon"), "palindrome");
    }

    public static void main(String[] args) {
        testReverse();
        testReverseSmall();
    }
}
