/** Static helpers for int arrays. */
public class ArrayUtils {

    private ArrayUtils() {
    }

    /** Swaps the values at indexes i and j. */
    public static void swap(int[] a, int i, int j) {
        int tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
    }

    // @task arrays_binary_search train
    /**
     * Returns an index of key in the sorted array a, or -1 if key is not in a.
     */
    public static int binarySearch(int[] a, int key) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] == key) {
                return mid;
            }
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    // @task arrays_lower_bound eval
    /**
     * Returns the first index i of the sorted array a with a[i] >= key,
     * or a.length if every value is smaller than key.
     */
    public static int lowerBound(int[] a, int key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // @task arrays_upper_bound train
    /**
     * Returns the first index i of the sorted array a with a[i] > key,
     * or a.length if no value is larger than key.
     */
    public static int upperBound(int[] a, int key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // @task arrays_reverse train
    /** Reverses the array in place. */
    public static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            swap(a, i, j);
        }
    }

    // @task arrays_is_sorted eval
    /** Returns true if the values of a never decrease from left to right. */
    public static boolean isSorted(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i - 1] > a[i]) {
                return false;
            }
        }
        return true;
    }

    // @task arrays_index_of_max train
    /**
     * Returns the index of the largest value (the first one if it occurs more than once).
     * Throws IllegalArgumentException if the array is empty.
     */
    public static int indexOfMax(int[] a) {
        if (a.length == 0) {
            throw new IllegalArgumentException("empty array");
        }
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    // @task arrays_rotate_left train
    /** Rotates the array left by k positions in place: a[i] moves to a[i - k], wrapping around. */
    public static void rotateLeft(int[] a, int k) {
        if (a.length == 0) {
            return;
        }
        k = ((k % a.length) + a.length) % a.length;
        int[] copy = a.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] = copy[(i + k) % a.length];
        }
    }

    // @task arrays_max_subarray_sum eval
    /**
     * Returns the largest sum of a non-empty run of consecutive values (Kadane's algorithm).
     * Throws IllegalArgumentException if the array is empty.
     */
    public static long maxSubarraySum(int[] a) {
        if (a.length == 0) {
            throw new IllegalArgumentException("empty array");
        }
        long best = a[0];
        long current = a[0];
        for (int i = 1; i < a.length; i++) {
            current = Math.max(a[i], current + a[i]);
            best = Math.max(best, current);
        }
        return best;
    }
}
