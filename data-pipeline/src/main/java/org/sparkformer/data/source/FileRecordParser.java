package org.sparkformer.data.source;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Turns the lines of one file into records of one kind (documents, labelled rows, tagged sentences). A parser sees a
 * whole file in order, so it can read a header or group lines into sentences. Bad lines arrive as skipped outcomes
 * and must be passed on ({@link LineRecords} does); under the fail policy they have already been thrown.
 */
@FunctionalInterface
public interface FileRecordParser<T> extends Serializable {

    Iterator<Outcome<T>> parse(Iterator<Outcome<Line>> lines, BadRecordPolicy policy);
}
