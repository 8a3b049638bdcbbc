package org.sparkformer.data.tokenize;

import java.util.Arrays;
import java.util.stream.IntStream;

/** A growable list of primitive ints, so token ids are never boxed. */
public final class IntList {

    private int[] values;
    private int size;

    public IntList() {
        this(16);
    }

    public IntList(int capacity) {
        values = new int[Math.max(capacity, 4)];
    }

    public void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    public int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " >= size " + size);
        }
        return values[index];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Drops everything from {@code newSize} on. */
    public void truncate(int newSize) {
        size = Math.min(size, newSize);
    }

    public void clear() {
        size = 0;
    }

    public int[] toArray() {
        return Arrays.copyOf(values, size);
    }

    public IntStream stream() {
        return Arrays.stream(values, 0, size);
    }
}
