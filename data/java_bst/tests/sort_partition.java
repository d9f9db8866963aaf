import java.util.*;

public class Main {

    static void check(boolean ok, String msg) {
        if (!ok) {
            throw new AssertionError(msg);
        }
    }

    static void testPartition() {
        int[] a = {7, 2, 9, 1, 5};
        int p = Sorting.partition(a, 0, 4);
        check(p == 2, "pivot 5 lands at index 2, got " + p);
        check(a[2] == 5, "pivot in place: " + Arrays.toString(a));
        for (int i = 0; i < p; i++) {
            check(a[i] < 5, "smaller values before the pivot: " + Arrays.toString(a));
        }
        for (int i = p + 1; i < a.length; i++) {
            check(a[i] >= 5, "other values after the pivot: " + Arrays.toString(a));
        }
    }

    static void testPartitionExtremes() {
        int[] a = {3, 4, 1};
        check(Sorting.partition(a, 0, 2) == 0, "smallest pivot goes first");
        check(a[0] == 1, "pivot 1 at index 0: " + Arrays.toString(a));
        int[] b = {0, 3, 1, 2, 9};
        check(Sorting.partition(b, 1, 4) == 4, "largest pivot stays last");
        check(b[0] == 0, "values outside the range are untouched");
    }

    static void testQuickSortUsesPartition() {
        int[] a = {5, -1, 3, 3, 0, 12, -8};
        Sorting.quickSort(a);
        check(Arrays.equals(a, new int[] {-8, -1, 0, 3, 3, 5, 12}), "quickSort: " + Arrays.toString(a));
    }

    public static void main(String[] args) {
        testPartition();
        testPartitionExtremes();
        testQuickSortUsesPartition();
    }
}
