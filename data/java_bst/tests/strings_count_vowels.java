import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testCountVowels() {
        check(StringUtils.countVowels("hello") == 2, "hello has 2, got " + StringUtils.countVowels("hello"));
        check(StringUtils.countVowels("AEIOU aeiou") == 10, "both cases");
        check(StringUtils.countVowels("rhythm") == 0, "no vowels");
        check(StringUtils.countVowels("Programming in Java") == 6, "sentence");
    }

    static void testCountVowelsEdges() {
        check(StringUtils.countVowels("") == 0, "empty string");
        check(StringUtils.countVowels("a") == 1, "single vowel");
        check(StringUtils.countVowels("xyz!?") == 0, "no letters that are vowels");
        check(StringUtils.countVowels("queue") == 4, "repeated vowels");
    }

    public static void main(String[] args) {
        testCountVowels();
        testCountVowelsEdges();
    }
}
