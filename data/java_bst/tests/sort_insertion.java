import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void checkSorts(int[] input) {
        int[] a = input.clone();
        int[] expected = input.clone();
        Arrays.sort(expected);
        Sorting.insertionSort(a);
        check(Arrays.equals(a, expected), "sorting " + Arrays.toString(input) + " gave " + Arrays.toString(a));
    }

    static void testSortSmall() {
        checkSorts(new int[0]);
        checkSorts(new int[] {1});
        checkSorts(new int[] {2, 1});
        checkSorts(new int[] {1, 2, 3});
    }

    static void testSortMixed() {
        checkSorts(new int[] {5, -2, 9, 0, -2, 7, 3});
        checkSorts(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1});
        checkSorts(new int[] {4, 4, 4, 1, 4});
    }

    static void testSortRandom() {
        Random random = new Random(42);
        for (int n = 0; n < 40; n += 7) {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = random.nextInt(21) - 10;
            }
            checkSorts(a);
        }
    }

    public static void main(String[] args) {
        testSortSmall();
        testSortMixed();
        testSortRandom();
    }
}
