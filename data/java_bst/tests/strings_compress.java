import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testCompress() {
        check(StringUtils.compress("aaabcc").equals("a3b1c2"), "got " + StringUtils.compress("aaabcc"));
        check(StringUtils.compress("abc").equals("a1b1c1"), "no runs");
        check(StringUtils.compress("zzzzzzzzzzzz").equals("z12"), "long run");
    }

    static void testCompressEdges() {
        check(StringUtils.compress("").equals(""), "empty string");
        check(StringUtils.compress("x").equals("x1"), "single character");
        check(StringUtils.compress("aabaa").equals("a2b1a2"), "runs are not merged");
    }

    public static void main(String[] args) {
        testCompress();
        testCompressEdges();
    }
}
