/** Static operations on matrices stored as int[rows][columns] arrays. */
public class Matrix {

    private Matrix() {
    }

    /** Returns the number of rows of m. */
    public static int rows(int[][] m) {
        return m.length;
    }

    /** Returns the number of columns of m (0 for a matrix without rows). */
    public static int cols(int[][] m) {
        return m.length == 0 ? 0 : m[0].length;
    }

    // @task matrix_identity train
    /** Returns the n by n identity matrix. */
    public static int[][] identity(int n) {
        int[][] result = new int[n][n];
        for (int i = 0; i < n; i++) {
            result[i][i] = 1;
        }
        return result;
    }

    // @task matrix_transpose train
    /** Returns the transpose of m: element [i][j] of the result is m[j][i]. */
    public static int[][] transpose(int[][] m) {
        int[][] result = new int[cols(m)][rows(m)];
        for (int i = 0; i < rows(m); i++) {
            for (int j = 0; j < cols(m); j++) {
                result[j][i] = m[i][j];
            }
        }
        return result;
    }

    // @task matrix_add train
    /**
     * Returns the element-wise sum of a and b.
     * Throws IllegalArgumentException if their dimensions differ.
     */
    public static int[][] add(int[][] a, int[][] b) {
        if (rows(a) != rows(b) || cols(a) != cols(b)) {
            throw new IllegalArgumentException("dimensions differ");
        }
        int[][] result = new int[rows(a)][cols(a)];
        for (int i = 0; i < rows(a); i++) {
            for (int j = 0; j < cols(a); j++) {
                result[i][j] = a[i][j] + b[i][j];
            }
        }
        return result;
    }

    // @task matrix_multiply eval
    /**
     * Returns the matrix product a times b.
     * Throws IllegalArgumentException if the columns of a do not match the rows of b.
     */
    public static int[][] multiply(int[][] a, int[][] b) {
        if (cols(a) != rows(b)) {
            throw new IllegalArgumentException("dimensions do not match");
        }
        int[][] result = new int[rows(a)][cols(b)];
        for (int i = 0; i < rows(a); i++) {
            for (int j = 0; j < cols(b); j++) {
                int sum = 0;
                for (int k = 0; k < cols(a); k++) {
                    sum += a[i][k] * b[k][j];
                }
                result[i][j] = sum;
            }
        }
        return result;
    }

    // @task matrix_trace train
    /**
     * Returns the sum of the diagonal elements of the square matrix m.
     * Throws IllegalArgumentException if m is not square.
     */
    public static long trace(int[][] m) {
        if (rows(m) != cols(m)) {
            throw new IllegalArgumentException("not square");
        }
        long sum = 0;
        for (int i = 0; i < rows(m); i++) {
            sum += m[i][i];
        }
        return sum;
    }

    // @task matrix_is_symmetric eval
    /** Returns true if m is square and equal to its transpose. */
    public static boolean isSymmetric(int[][] m) {
        if (rows(m) != cols(m)) {
            return false;
        }
        for (int i = 0; i < rows(m); i++) {
            for (int j = i + 1; j < cols(m); j++) {
                if (m[i][j] != m[j][i]) {
                    return false;
                }
            }
        }
        return true;
    }
}
