import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testCapitalize() {
        check(StringUtils.capitalize("hello world").equals("Hello World"), "got " + StringUtils.capitalize("hello world"));
        check(StringUtils.capitalize("a").equals("A"), "single letter");
        check(StringUtils.capitalize("java is fun").equals("Java Is Fun"), "three words");
    }

    static void testCapitalizeEdges() {
        check(StringUtils.capitalize("").equals(""), "empty string");
        check(StringUtils.capitalize("  two  spaces").equals("  Two  Spaces"), "repeated spaces, got '" + StringUtils.capitalize("  two  spaces") + "'");
        check(StringUtils.capitalize("mIxEd 1st").equals("MIxEd 1st"), "other characters unchanged");
    }

    public static void main(String[] args) {
        testCapitalize();
        testCapitalizeEdges();
    }
}
