package org.sparkformer.data.source;

import org.apache.spark.api.java.JavaRDD;

/** A validation or test split of labelled text: read as is, never augmented. */
public final class EvaluationSplit {

    private final ReadResult<LabelledText> read;

    public EvaluationSplit(ReadResult<LabelledText> read) {
        this.read = read;
    }

    public JavaRDD<LabelledText> records() {
        return read.records();
    }

    public ReadResult<LabelledText> read() {
        return read;
    }
}
