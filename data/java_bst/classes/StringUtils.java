/** Static helpers for strings. */
public class StringUtils {

    private StringUtils() {
    }

    /** Returns true if c is one of the vowels a, e, i, o, u, in either case. */
    public static boolean isVowel(char c) {
        return "aeiouAEIOU".indexOf(c) >= 0;
    }

    // @task strings_reverse train
    /** Returns s with its characters in reverse order. */
    public static String reverse(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = s.length() - 1; i >= 0; i--) {
            sb.append(s.charAt(i));
        }
        return sb.toString();
    }

    // @task strings_is_palindrome eval
    /**
     * Returns true if s reads the same forwards and backwards, ignoring case and
     * every character that is not a letter or a digit.
     */
    public static boolean isPalindrome(String s) {
        int i = 0;
        int j = s.length() - 1;
        while (i < j) {
            if (!Character.isLetterOrDigit(s.charAt(i))) {
                i++;
            } else if (!Character.isLetterOrDigit(s.charAt(j))) {
                j--;
            } else {
                if (Character.toLowerCase(s.charAt(i)) != Character.toLowerCase(s.charAt(j))) {
                    return false;
                }
                i++;
                j--;
            }
        }
        return true;
    }

    // @task strings_count_vowels train
    /** Returns how many vowels (a, e, i, o, u, in either case) s contains. */
    public static int countVowels(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            if (isVowel(s.charAt(i))) {
                count++;
            }
        }
        return count;
    }

    // @task strings_capitalize train
    /**
     * Returns s with the first letter of every word in upper case; words are separated by spaces
     * and the other characters are left as they are.
     */
    public static String capitalize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean startOfWord = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(startOfWord ? Character.toUpperCase(c) : c);
            startOfWord = c == ' ';
        }
        return sb.toString();
    }

    // @task strings_compress eval
    /**
     * Run-length encodes s: every run of a repeated character becomes the character followed
     * by the run length, e.g. "aaabcc" becomes "a3b1c2". The empty string stays empty.
     */
    public static String compress(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int j = i;
            while (j < s.length() && s.charAt(j) == c) {
                j++;
            }
            sb.append(c).append(j - i);
            i = j;
        }
        return sb.toString();
    }

    // @task strings_count_words train
    /** Returns the number of words in s, where words are runs of characters other than spaces. */
    public static int countWords(String s) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ') {
                inWord = false;
            } else if (!inWord) {
                inWord = true;
                count++;
            }
        }
        return count;
    }

    // @task strings_is_anagram eval
    /** Returns true if a and b contain the same lower-case letters a-z the same number of times. */
    public static boolean isAnagram(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int[] counts = new int[26];
        for (int i = 0; i < a.length(); i++) {
            counts[a.charAt(i) - 'a']++;
            counts[b.charAt(i) - 'a']--;
        }
        for (int count : counts) {
            if (count != 0) {
                return false;
            }
        }
        return true;
    }

    // @task strings_remove_char train
    /** Returns s without any occurrence of the character c. */
    public static String removeChar(String s, char c) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != c) {
                sb.append(s.charAt(i));
            }
        }
        return sb.toString();
    }
}
