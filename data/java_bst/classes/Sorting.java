/** In-place sorting algorithms for int arrays, in ascending order. */
public class Sorting {

    private Sorting() {
    }

    /** Swaps the values at indexes i and j. */
    static void swap(int[] a, int i, int j) {
        int tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
    }

    // @task sort_insertion train
    /** Sorts the array with insertion sort. */
    public static void insertionSort(int[] a) {
        for (int i = 1; i < a.length; i++) {
            int value = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > value) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = value;
        }
    }

    // @task sort_selection train
    /** Sorts the array with selection sort: repeatedly swaps the smallest remaining value forward. */
    public static void selectionSort(int[] a) {
        for (int i = 0; i < a.length - 1; i++) {
            int min = i;
            for (int j = i + 1; j < a.length; j++) {
                if (a[j] < a[min]) {
                    min = j;
                }
            }
            swap(a, i, min);
        }
    }

    // @task sort_bubble eval
    /** Sorts the array with bubble sort, stopping early once a pass makes no swap. */
    public static void bubbleSort(int[] a) {
        for (int end = a.length - 1; end > 0; end--) {
            boolean swapped = false;
            for (int i = 0; i < end; i++) {
                if (a[i] > a[i + 1]) {
                    swap(a, i, i + 1);
                    swapped = true;
                }
            }
            if (!swapped) {
                return;
            }
        }
    }

    /** Sorts the array with merge sort. */
    public static void mergeSort(int[] a) {
        if (a.length > 1) {
            mergeSort(a, new int[a.length], 0, a.length);
        }
    }

    /** Sorts a[lo, hi) with merge sort, using tmp as scratch space. */
    private static void mergeSort(int[] a, int[] tmp, int lo, int hi) {
        if (hi - lo < 2) {
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(a, tmp, lo, mid);
        mergeSort(a, tmp, mid, hi);
        merge(a, tmp, lo, mid, hi);
    }

    // @task sort_merge train
    /**
     * Merges the sorted runs a[lo, mid) and a[mid, hi) into one sorted run a[lo, hi),
     * using tmp as scratch space. Equal values keep their order.
     */
    static void merge(int[] a, int[] tmp, int lo, int mid, int hi) {
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
            tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
        }
        while (i < mid) {
            tmp[k++] = a[i++];
        }
        while (j < hi) {
            tmp[k++] = a[j++];
        }
        System.arraycopy(tmp, lo, a, lo, hi - lo);
    }

    /** Sorts the array with quicksort. */
    public static void quickSort(int[] a) {
        quickSort(a, 0, a.length - 1);
    }

    /** Sorts a[lo..hi] (inclusive) with quicksort. */
    private static void quickSort(int[] a, int lo, int hi) {
        if (lo >= hi) {
            return;
        }
        int p = partition(a, lo, hi);
        quickSort(a, lo, p - 1);
        quickSort(a, p + 1, hi);
    }

    // @task sort_partition train
    /**
     * Lomuto partition of a[lo..hi] (inclusive) around the pivot a[hi]: afterwards the pivot
     * is at the returned index p, values before p are smaller and values after p are not smaller.
     */
    static int partition(int[] a, int lo, int hi) {
        int pivot = a[hi];
        int i = lo;
        for (int j = lo; j < hi; j++) {
            if (a[j] < pivot) {
                swap(a, i, j);
                i++;
            }
        }
        swap(a, i, hi);
        return i;
    }

    // @task sort_counting eval
    /** Sorts an array of values in [0, maxValue] with counting sort. */
    public static void countingSort(int[] a, int maxValue) {
        int[] counts = new int[maxValue + 1];
        for (int value : a) {
            counts[value]++;
        }
        int k = 0;
        for (int value = 0; value <= maxValue; value++) {
            for (int c = 0; c < counts[value]; c++) {
                a[k++] = value;
            }
        }
    }
}
