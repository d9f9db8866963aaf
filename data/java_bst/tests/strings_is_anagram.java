import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testAnagrams() {
        check(StringUtils.isAnagram("listen", "silent"), "listen / silent");
        check(StringUtils.isAnagram("", ""), "empty strings");
        check(StringUtils.isAnagram("aab", "aba"), "repeated letters");
    }

    static void testNotAnagrams() {
        check(!StringUtils.isAnagram("abc", "abd"), "different letter");
        check(!StringUtils.isAnagram("aab", "abb"), "different counts");
        check(!StringUtils.isAnagram("ab", "abc"), "different lengths");
    }

    public static void main(String[] args) {
        testAnagrams();
        testNotAnagrams();
    }
}
