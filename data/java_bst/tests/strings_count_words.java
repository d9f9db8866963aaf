import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testCountWords() {
        check(StringUtils.countWords("hello world") == 2, "two words");
        check(StringUtils.countWords("one") == 1, "one word");
        check(StringUtils.countWords("  leading and trailing  ") == 3, "extra spaces, got " + StringUtils.countWords("  leading and trailing  "));
    }

    static void testCountWordsEdges() {
        check(StringUtils.countWords("") == 0, "empty string");
        check(StringUtils.countWords("    ") == 0, "only spaces");
        check(StringUtils.countWords("a b  c   d") == 4, "single letters");
    }

    public static void main(String[] args) {
        testCountWords();
        testCountWordsEdges();
    }
}
