package org.sparkformer.driver.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.sparkformer.data.batch.DocumentPacker;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.inputs.EncodedSplit;
import org.sparkformer.driver.inputs.SplitReader;
import org.sparkformer.driver.modeldir.TrainedModel;

/**
 * A split read as the data section says ({@link SplitReader}) and encoded for a trained model with its own tokenizer,
 * labels and length. The encoder travels inside the task closure (Java serialization) rather than as a broadcast:
 * its tokenizer holds records, which Spark's Kryo serializer cannot carry.
 */
final class EvaluationSplits {

    private final SplitReader inputs;
    private final DataSection data;
    private final TrainedModel model;

    EvaluationSplits(SparkSession spark, DataSection data, TrainedModel model) {
        this.inputs = new SplitReader(spark, data);
        this.data = data;
        this.model = model;
    }

    /** A labelled split encoded with the model's labels; labels the model does not know follow data.onBadRecord. */
    EncodedSplit labelled(String paths) {
        BadRecordPolicy policy = inputs.policy();
        LabelledEncoder encoder = new LabelledEncoder(model.tokenizer(), new LabelSet(model.labels()), data.maxLength(), policy);
        if (inputs.isTagging()) {
            ReadResult<TaggedSentence> read = inputs.tagged(paths);
            return new EncodedSplit(read, read.then(encoder::tagged));
        }
        ReadResult<LabelledText> read = inputs.labelledText(paths);
        return new EncodedSplit(read, read.then(encoder::sequence));
    }

    /** The corpus read. */
    ReadResult<Document> corpus() {
        return inputs.corpus();
    }

    /** Masked-LM sequences packed from a read corpus. */
    JavaRDD<EncodedSequence> packed(ReadResult<Document> corpus) {
        DocumentPacker packer = new DocumentPacker(model.tokenizer(), data.maxLength());
        return corpus.records().flatMap(d -> packer.pack(d).iterator());
    }
}
