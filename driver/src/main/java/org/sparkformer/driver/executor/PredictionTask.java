package org.sparkformer.driver.executor;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.LabelledEncoder;
import org.sparkformer.data.batch.WordAlignment;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.kernels.batch.MiniBatch;

import java.util.Arrays;
import java.util.Iterator;

/**
 * A prediction task: encodes its partition's records (a text, or a sentence's words with a target at each word's
 * first token), scores them in minibatches with the model resident in the executor and returns one output row per
 * record, in order, as {@link PredictionRows} lays it out.
 */
public final class PredictionTask implements FlatMapFunction<Iterator<PredictionInput>, Row> {

    private final BroadcastInferenceModel shared;
    // the encoder travels in the task: its tokenizer holds records, which Kryo (the broadcast serializer) cannot carry
    private final LabelledEncoder encoder;
    private final boolean tagging;
    private final String placeholder;
    private final int batchSize;
    private final PredictionRows rows;

    /**
     * @param placeholder a label of the model, given to the encoder as the gold label: predictions never read it
     */
    public PredictionTask(BroadcastInferenceModel shared, LabelledEncoder encoder, boolean tagging, String placeholder,
                          int batchSize, PredictionRows rows) {
        this.shared = shared;
        this.encoder = encoder;
        this.tagging = tagging;
        this.placeholder = placeholder;
        this.batchSize = batchSize;
        this.rows = rows;
    }

    @Override
    public Iterator<Row> call(Iterator<PredictionInput> inputs) {
        return new ScoredBatches<>(inputs, batchSize, shared, this::encode, rows::row);
    }

    /** The sequence to score for one record: the text, or the words with their first sub-tokens marked. */
    private EncodedSequence encode(PredictionInput input) {
        if (!tagging) {
            return encoder.sequence(new LabelledText(input.file(), input.line(), input.text(), placeholder)).value();
        }
        return words(encoder, input.words(), input.source());
    }

    /**
     * The sequence to score for a sentence's words: a target at each kept word's first sub-token, so that a tagger's
     * scores come back one row per kept word, in word order.
     */
    public static EncodedSequence words(LabelledEncoder encoder, java.util.List<String> words, String source) {
        WordAlignment alignment = encoder.align(words);
        int[] targets = new int[alignment.tokenIds().length];
        Arrays.fill(targets, MiniBatch.IGNORE);
        for (int start : alignment.wordStarts()) {
            targets[start] = 0;
        }
        return new EncodedSequence(alignment.tokenIds(), targets, MiniBatch.IGNORE, alignment.truncated(), source);
    }
}
