package org.sparkformer.data.source;

import org.apache.spark.api.java.JavaRDD;

/**
 * The training split of labelled text. Only this type can be augmented, so augmented rows cannot reach a validation
 * or test split ({@link EvaluationSplit} has no route into augmentation).
 */
public final class TrainingSplit {

    private final ReadResult<LabelledText> read;
    private final JavaRDD<LabelledText> records;

    public TrainingSplit(ReadResult<LabelledText> read) {
        this(read, read.records());
    }

    private TrainingSplit(ReadResult<LabelledText> read, JavaRDD<LabelledText> records) {
        this.read = read;
        this.records = records;
    }

    /** The rows to train on (the read rows, plus augmented copies after {@link #withRecords}). */
    public JavaRDD<LabelledText> records() {
        return records;
    }

    /** The read result, for skipped-record counts. */
    public ReadResult<LabelledText> read() {
        return read;
    }

    /** The label set of this split: sorted distinct labels of the rows as read. */
    public LabelSet inferLabels() {
        return LabelSet.infer(read.records().map(LabelledText::label));
    }

    /** The same split with different training rows (used by augmentation). */
    public TrainingSplit withRecords(JavaRDD<LabelledText> newRecords) {
        return new TrainingSplit(read, newRecords);
    }
}
