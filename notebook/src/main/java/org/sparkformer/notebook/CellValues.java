package org.sparkformer.notebook;

/**
 * The hand-over point between a cell and the kernel: JShell runs snippets in this JVM, and the snippet that reads a
 * cell's value passes it here. Not meant for cells themselves.
 */
public final class CellValues {

    private static Object value;

    private CellValues() {
    }

    public static synchronized void keep(Object v) {
        value = v;
    }

    static synchronized Object take() {
        Object v = value;
        value = null;
        return v;
    }
}
