package org.sparkformer.notebook;

/**
 * A cell that did not compile or threw: the message names what went wrong (the compiler's diagnostics with the line
 * of the cell, or the exception's class and message); the kernel shows it in the cell's output and keeps running.
 */
public final class CellException extends RuntimeException {

    private final String errorName;

    CellException(String errorName, String message, StackTraceElement[] stack) {
        super(message, null, false, true);
        this.errorName = errorName;
        setStackTrace(stack == null ? new StackTraceElement[0] : stack);
    }

    /** What kind of error: {@code CompileError}, {@code IncompleteCell} or the class name of what the cell threw. */
    public String errorName() {
        return errorName;
    }
}
