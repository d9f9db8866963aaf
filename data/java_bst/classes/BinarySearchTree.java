import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A binary search tree of distinct int keys.
 * Smaller keys go to the left subtree, larger keys to the right subtree.
 */
public class BinarySearchTree {

    /** A node of the tree. */
    static class Node {
        int key;
        Node left;
        Node right;

        Node(int key) {
            this.key = key;
        }
    }

    private Node root;
    private int size;

    /** Returns the number of keys in the tree. */
    public int size() {
        return size;
    }

    /** Returns true if the tree holds no keys. */
    public boolean isEmpty() {
        return root == null;
    }

    /** Returns the root node, or null for an empty tree. */
    public Node getRoot() {
        return root;
    }

    /** Removes every key from the tree. */
    public void clear() {
        root = null;
        size = 0;
    }

    /**
     * Inserts a key into the tree.
     * Returns true if the key was added, false if it was already present.
     */
    public boolean insert(int key) {
        if (contains(key)) {
            return false;
        }
        root = insert(root, key);
        size++;
        return true;
    }

    // @task bst_insert train
    /** Inserts the key into the subtree rooted at node and returns the new subtree root. */
    private Node insert(Node node, int key) {
        if (node == null) {
            return new Node(key);
        }
        if (key < node.key) {
            node.left = insert(node.left, key);
        } else if (key > node.key) {
            node.right = insert(node.right, key);
        }
        return node;
    }

    /** Inserts every key of the array, in order. */
    public void insertAll(int... keys) {
        for (int key : keys) {
            insert(key);
        }
    }

    // @task bst_contains train
    /** Returns true if the key is in the tree. */
    public boolean contains(int key) {
        Node node = root;
        while (node != null) {
            if (key == node.key) {
                return true;
            }
            node = key < node.key ? node.left : node.right;
        }
        return false;
    }

    // @task bst_min train
    /**
     * Returns the smallest key in the tree.
     * Throws NoSuchElementException if the tree is empty.
     */
    public int min() {
        if (root == null) {
            throw new NoSuchElementException("empty tree");
        }
        Node node = root;
        while (node.left != null) {
            node = node.left;
        }
        return node.key;
    }

    // @task bst_max eval
    /**
     * Returns the largest key in the tree.
     * Throws NoSuchElementException if the tree is empty.
     */
    public int max() {
        if (root == null) {
            throw new NoSuchElementException("empty tree");
        }
        Node node = root;
        while (node.right != null) {
            node = node.right;
        }
        return node.key;
    }

    /** Returns the height of the tree: 0 for an empty tree, 1 for a single node. */
    public int height() {
        return height(root);
    }

    // @task bst_height train
    /** Returns the number of nodes on the longest path from the node down to a leaf (0 for null). */
    private int height(Node node) {
        if (node == null) {
            return 0;
        }
        return 1 + Math.max(height(node.left), height(node.right));
    }

    /** Returns the keys in ascending order. */
    public List<Integer> inOrder() {
        List<Integer> out = new ArrayList<>();
        inOrder(root, out);
        return out;
    }

    // @task bst_in_order train
    /** Appends the keys of the subtree to out in in-order (left, node, right). */
    private void inOrder(Node node, List<Integer> out) {
        if (node == null) {
            return;
        }
        inOrder(node.left, out);
        out.add(node.key);
        inOrder(node.right, out);
    }

    /** Returns the keys in pre-order (node, left, right). */
    public List<Integer> preOrder() {
        List<Integer> out = new ArrayList<>();
        preOrder(root, out);
        return out;
    }

    // @task bst_pre_order train
    /** Appends the keys of the subtree to out in pre-order (node, left, right). */
    private void preOrder(Node node, List<Integer> out) {
        if (node == null) {
            return;
        }
        out.add(node.key);
        preOrder(node.left, out);
        preOrder(node.right, out);
    }

    /** Returns the keys in post-order (left, right, node). */
    public List<Integer> postOrder() {
        List<Integer> out = new ArrayList<>();
        postOrder(root, out);
        return out;
    }

    // @task bst_post_order train
    /** Appends the keys of the subtree to out in post-order (left, right, node). */
    private void postOrder(Node node, List<Integer> out) {
        if (node == null) {
            return;
        }
        postOrder(node.left, out);
        postOrder(node.right, out);
        out.add(node.key);
    }

    // @task bst_level_order eval
    /** Returns the keys level by level, from the root down, each level from left to right. */
    public List<Integer> levelOrder() {
        List<Integer> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        Deque<Node> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            out.add(node.key);
            if (node.left != null) {
                queue.add(node.left);
            }
            if (node.right != null) {
                queue.add(node.right);
            }
        }
        return out;
    }

    /**
     * Removes the key from the tree.
     * Returns true if the key was removed, false if it was not present.
     */
    public boolean delete(int key) {
        if (!contains(key)) {
            return false;
        }
        root = delete(root, key);
        size--;
        return true;
    }

    /** Returns the node with the smallest key in the subtree rooted at node (node must not be null). */
    private Node minNode(Node node) {
        while (node.left != null) {
            node = node.left;
        }
        return node;
    }

    // @task bst_delete train
    /**
     * Removes the key from the subtree rooted at node and returns the new subtree root.
     * A node with two children is replaced by its in-order successor.
     */
    private Node delete(Node node, int key) {
        if (node == null) {
            return null;
        }
        if (key < node.key) {
            node.left = delete(node.left, key);
        } else if (key > node.key) {
            node.right = delete(node.right, key);
        } else {
            if (node.left == null) {
                return node.right;
            }
            if (node.right == null) {
                return node.left;
            }
            Node successor = minNode(node.right);
            node.key = successor.key;
            node.right = delete(node.right, successor.key);
        }
        return node;
    }

    // @task bst_remove_min train
    /**
     * Removes and returns the smallest key.
     * Throws NoSuchElementException if the tree is empty.
     */
    public int removeMin() {
        if (root == null) {
            throw new NoSuchElementException("empty tree");
        }
        Node parent = null;
        Node node = root;
        while (node.left != null) {
            parent = node;
            node = node.left;
        }
        if (parent == null) {
            root = node.right;
        } else {
            parent.left = node.right;
        }
        size--;
        return node.key;
    }

    // @task bst_successor train
    /** Returns the smallest key strictly greater than key, or null if there is none. */
    public Integer successor(int key) {
        Integer best = null;
        Node node = root;
        while (node != null) {
            if (node.key > key) {
                best = node.key;
                node = node.left;
            } else {
                node = node.right;
            }
        }
        return best;
    }

    // @task bst_predecessor eval
    /** Returns the largest key strictly smaller than key, or null if there is none. */
    public Integer predecessor(int key) {
        Integer best = null;
        Node node = root;
        while (node != null) {
            if (node.key < key) {
                best = node.key;
                node = node.right;
            } else {
                node = node.left;
            }
        }
        return best;
    }

    // @task bst_floor train
    /** Returns the largest key less than or equal to key, or null if there is none. */
    public Integer floor(int key) {
        Integer best = null;
        Node node = root;
        while (node != null) {
            if (node.key == key) {
                return key;
            }
            if (node.key < key) {
                best = node.key;
                node = node.right;
            } else {
                node = node.left;
            }
        }
        return best;
    }

    // @task bst_ceiling eval
    /** Returns the smallest key greater than or equal to key, or null if there is none. */
    public Integer ceiling(int key) {
        Integer best = null;
        Node node = root;
        while (node != null) {
            if (node.key == key) {
                return key;
            }
            if (node.key > key) {
                best = node.key;
                node = node.left;
            } else {
                node = node.right;
            }
        }
        return best;
    }

    /** Returns true if the tree satisfies the binary search tree ordering. */
    public boolean isValid() {
        return isValidBST(root, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    // @task bst_is_valid train
    /**
     * Returns true if every key in the subtree lies strictly between low and high
     * and the subtree is ordered like a binary search tree.
     */
    static boolean isValidBST(Node node, long low, long high) {
        if (node == null) {
            return true;
        }
        if (node.key <= low || node.key >= high) {
            return false;
        }
        return isValidBST(node.left, low, node.key) && isValidBST(node.right, node.key, high);
    }

    // @task bst_kth_smallest eval
    /**
     * Returns the k-th smallest key, counting from 1.
     * Throws IllegalArgumentException if k is not between 1 and size().
     */
    public int kthSmallest(int k) {
        if (k < 1 || k > size) {
            throw new IllegalArgumentException("k out of range: " + k);
        }
        Deque<Node> stack = new ArrayDeque<>();
        Node node = root;
        while (true) {
            while (node != null) {
                stack.push(node);
                node = node.left;
            }
            node = stack.pop();
            k--;
            if (k == 0) {
                return node.key;
            }
            node = node.right;
        }
    }

    /** Returns how many keys lie in the closed range [low, high]. */
    public int rangeCount(int low, int high) {
        return rangeCount(root, low, high);
    }

    // @task bst_range_count train
    /** Returns how many keys of the subtree lie in the closed range [low, high]. */
    private int rangeCount(Node node, int low, int high) {
        if (node == null) {
            return 0;
        }
        if (node.key < low) {
            return rangeCount(node.right, low, high);
        }
        if (node.key > high) {
            return rangeCount(node.left, low, high);
        }
        return 1 + rangeCount(node.left, low, high) + rangeCount(node.right, low, high);
    }

    // @task bst_range_sum eval
    /** Returns the sum of the keys of the subtree that lie in the closed range [low, high]. */
    public static long rangeSum(Node node, int low, int high) {
        if (node == null) {
            return 0;
        }
        if (node.key < low) {
            return rangeSum(node.right, low, high);
        }
        if (node.key > high) {
            return rangeSum(node.left, low, high);
        }
        return node.key + rangeSum(node.left, low, high) + rangeSum(node.right, low, high);
    }

    /** Returns the sum of all keys. */
    public long sum() {
        return sum(root);
    }

    // @task bst_sum train
    /** Returns the sum of the keys in the subtree (0 for null). */
    private long sum(Node node) {
        if (node == null) {
            return 0;
        }
        return node.key + sum(node.left) + sum(node.right);
    }

    // @task bst_count_leaves eval
    /** Returns the number of leaves (nodes without children) in the subtree. */
    public static int countLeaves(Node node) {
        if (node == null) {
            return 0;
        }
        if (node.left == null && node.right == null) {
            return 1;
        }
        return countLeaves(node.left) + countLeaves(node.right);
    }

    // @task bst_lowest_common_ancestor train
    /**
     * Returns the key of the lowest common ancestor of keys a and b, which must both be in the tree.
     * A node is an ancestor of itself.
     */
    public int lowestCommonAncestor(int a, int b) {
        Node node = root;
        while (node != null) {
            if (a < node.key && b < node.key) {
                node = node.left;
            } else if (a > node.key && b > node.key) {
                node = node.right;
            } else {
                return node.key;
            }
        }
        throw new NoSuchElementException("keys not in tree");
    }

    // @task bst_depth train
    /** Returns the depth of the key (0 for the root), or -1 if the key is not in the tree. */
    public int depth(int key) {
        Node node = root;
        int depth = 0;
        while (node != null) {
            if (key == node.key) {
                return depth;
            }
            node = key < node.key ? node.left : node.right;
            depth++;
        }
        return -1;
    }

    // @task bst_path_to train
    /** Returns the keys on the path from the root to the key, or an empty list if the key is absent. */
    public List<Integer> pathTo(int key) {
        List<Integer> path = new ArrayList<>();
        Node node = root;
        while (node != null) {
            path.add(node.key);
            if (key == node.key) {
                return path;
            }
            node = key < node.key ? node.left : node.right;
        }
        return new ArrayList<>();
    }

    /** Swaps the left and right children of every node; the keys then read in descending order. */
    public void mirror() {
        mirror(root);
    }

    // @task bst_mirror train
    /** Swaps the left and right children of every node in the subtree. */
    private void mirror(Node node) {
        if (node == null) {
            return;
        }
        Node tmp = node.left;
        node.left = node.right;
        node.right = tmp;
        mirror(node.left);
        mirror(node.right);
    }

    // @task bst_is_balanced eval
    /**
     * Returns true if, for every node of the subtree, the heights of its
     * left and right subtrees differ by at most one.
     */
    public boolean isBalanced(Node node) {
        if (node == null) {
            return true;
        }
        if (Math.abs(height(node.left) - height(node.right)) > 1) {
            return false;
        }
        return isBalanced(node.left) && isBalanced(node.right);
    }

    /** Returns true if the other tree has the same shape and the same keys as this tree. */
    public boolean sameAs(BinarySearchTree other) {
        return sameTree(root, other.root);
    }

    // @task bst_same_tree train
    /** Returns true if the two subtrees have the same shape and the same keys. */
    private static boolean sameTree(Node a, Node b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.key == b.key && sameTree(a.left, b.left) && sameTree(a.right, b.right);
    }
}
