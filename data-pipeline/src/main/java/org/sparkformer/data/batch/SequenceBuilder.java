package org.sparkformer.data.batch;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.tokenize.BertTokenizer;

/**
 * Spark steps from read records to encoded sequences, on the executors; the tokenizer (with its vocabulary) is
 * broadcast once.
 */
public final class SequenceBuilder {

    private SequenceBuilder() {
    }

    /** Pretraining sequences of at most {@code maxLength} tokens packed from documents (see {@link DocumentPacker}). */
    public static JavaRDD<EncodedSequence> pretraining(JavaRDD<Document> documents, BertTokenizer tokenizer, int maxLength) {
        Broadcast<DocumentPacker> packer = broadcast(documents, new DocumentPacker(tokenizer, maxLength));
        return documents.flatMap(d -> packer.value().pack(d).iterator());
    }

    /** Sequence-classification examples; unknown labels follow {@code policy}. */
    public static ReadResult<EncodedSequence> sequenceClassification(JavaRDD<LabelledText> texts, BertTokenizer tokenizer,
                                                                     LabelSet labels, int maxLength, BadRecordPolicy policy) {
        Broadcast<LabelledEncoder> encoder = broadcast(texts, new LabelledEncoder(tokenizer, labels, maxLength, policy));
        return new ReadResult<>(texts.map(t -> encoder.value().sequence(t)));
    }

    /** Token-tagging examples; unknown tags follow {@code policy}. */
    public static ReadResult<EncodedSequence> tokenClassification(JavaRDD<TaggedSentence> sentences, BertTokenizer tokenizer,
                                                                  LabelSet tags, int maxLength, BadRecordPolicy policy) {
        Broadcast<LabelledEncoder> encoder = broadcast(sentences, new LabelledEncoder(tokenizer, tags, maxLength, policy));
        return new ReadResult<>(sentences.map(s -> encoder.value().tagged(s)));
    }

    private static <T> Broadcast<T> broadcast(JavaRDD<?> rdd, T value) {
        return JavaSparkContext.fromSparkContext(rdd.context()).broadcast(value);
    }
}
