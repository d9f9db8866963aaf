import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testPalindromes() {
        check(StringUtils.isPalindrome(""), "empty string");
        check(StringUtils.isPalindrome("a"), "single character");
        check(StringUtils.isPalindrome("racecar"), "racecar");
        check(StringUtils.isPalindrome("A man, a plan, a canal: Panama"), "ignores case and punctuation");
        check(StringUtils.isPalindrome("12321"), "digits");
    }

    static void testNotPalindromes() {
        check(!StringUtils.isPalindrome("ab"), "ab");
        check(!StringUtils.isPalindrome("race a car"), "race a car");
        check(!StringUtils.isPalindrome("0P"), "digit vs letter");
    }

    public static void main(String[] args) {
        testPalindromes();
        testNotPalindromes();
    }
}
