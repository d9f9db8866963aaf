import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testMergeRuns() {
        int[] a = {1, 4, 9, 2, 3, 10};
        Sorting.merge(a, new int[6], 0, 3, 6);
        check(Arrays.equals(a, new int[] {1, 2, 3, 4, 9, 10}), "got " + Arrays.toString(a));
        int[] b = {7, 0, 5, 1, 2, 8};
        Sorting.merge(b, new int[6], 1, 3, 5);
        check(Arrays.equals(b, new int[] {7, 0, 1, 2, 5, 8}), "only [1, 5) is merged: " + Arrays.toString(b));
    }

    static void testMergeOneSideEmpty() {
        int[] a = {3, 1, 2};
        Sorting.merge(a, new int[3], 1, 3, 3);
        check(Arrays.equals(a, new int[] {3, 1, 2}), "empty right run");
        int[] b = {-4, -4, 6};
        Sorting.merge(b, new int[3], 0, 1, 3);
        check(Arrays.equals(b, new int[] {-4, -4, 6}), "equal values");
    }

    static void testMergeSortUsesMerge() {
        int[] a = {5, -1, 3, 3, 0, 12, -8};
        Sorting.mergeSort(a);
        check(Arrays.equals(a, new int[] {-8, -1, 0, 3, 3, 5, 12}), "mergeSort: " + Arrays.toString(a));
    }

    public static void main(String[] args) {
        testMergeRuns();
        testMergeOneSideEmpty();
        testMergeSortUsesMerge();
    }
}
