import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testCountingSort() {
        int[] a = {3, 0, 2, 3, 1, 0};
        Sorting.countingSort(a, 3);
        check(Arrays.equals(a, new int[] {0, 0, 1, 2, 3, 3}), "got " + Arrays.toString(a));
        int[] b = {5, 5, 5};
        Sorting.countingSort(b, 9);
        check(Arrays.equals(b, new int[] {5, 5, 5}), "all equal");
    }

    static void testCountingSortEdges() {
        int[] empty = {};
        Sorting.countingSort(empty, 4);
        check(empty.length == 0, "empty array");
        int[] c = {9, 1, 8, 2, 7, 3};
        Sorting.countingSort(c, 9);
        check(Arrays.equals(c, new int[] {1, 2, 3, 7, 8, 9}), "got " + Arrays.toString(c));
    }

    public static void main(String[] args) {
        testCountingSort();
        testCountingSortEdges();
    }
}
