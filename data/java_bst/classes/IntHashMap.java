/** A hash map from int keys to int values, with separate chaining. */
public class IntHashMap {

    /** An entry of a bucket's chain. */
    static class Entry {
        final int key;
        int value;
        Entry next;

        Entry(int key, int value, Entry next) {
            this.key = key;
            this.value = value;
            this.next = next;
        }
    }

    private final Entry[] buckets;
    private int size;

    /** Creates an empty map with the given number of buckets. */
    public IntHashMap(int capacity) {
        buckets = new Entry[Math.max(1, capacity)];
    }

    /** Creates an empty map with 16 buckets. */
    public IntHashMap() {
        this(16);
    }

    /** Returns the number of keys in the map. */
    public int size() {
        return size;
    }

    /** Returns the bucket index of the key. */
    private int indexFor(int key) {
        return Math.floorMod(key, buckets.length);
    }

    // @task map_put train
    /**
     * Maps the key to the value, replacing any previous value.
     * Returns true if the key was new, false if an existing value was replaced.
     */
    public boolean put(int key, int value) {
        int index = indexFor(key);
        for (Entry e = buckets[index]; e != null; e = e.next) {
            if (e.key == key) {
                e.value = value;
                return false;
            }
        }
        buckets[index] = new Entry(key, value, buckets[index]);
        size++;
        return true;
    }

    // @task map_get train
    /** Returns the value mapped to the key, or defaultValue if the key is not in the map. */
    public int getOrDefault(int key, int defaultValue) {
        for (Entry e = buckets[indexFor(key)]; e != null; e = e.next) {
            if (e.key == key) {
                return e.value;
            }
        }
        return defaultValue;
    }

    // @task map_contains_key train
    /** Returns true if the key is in the map. */
    public boolean containsKey(int key) {
        for (Entry e = buckets[indexFor(key)]; e != null; e = e.next) {
            if (e.key == key) {
                return true;
            }
        }
        return false;
    }

    // @task map_remove eval
    /** Removes the key and its value. Returns true if the key was in the map. */
    public boolean remove(int key) {
        int index = indexFor(key);
        Entry prev = null;
        for (Entry e = buckets[index]; e != null; e = e.next) {
            if (e.key == key) {
                if (prev == null) {
                    buckets[index] = e.next;
                } else {
                    prev.next = e.next;
                }
                size--;
                return true;
            }
            prev = e;
        }
        return false;
    }

    // @task map_increment train
    /** Adds delta to the value of the key (a missing key counts as 0) and returns the new value. */
    public int increment(int key, int delta) {
        int value = getOrDefault(key, 0) + delta;
        put(key, value);
        return value;
    }
}
