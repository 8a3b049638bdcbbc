package org.sparkformer.driver.executor;

import org.apache.spark.sql.Row;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.kernels.model.LengthBuckets;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One partition's records scored a minibatch at a time by the executor-resident model: records are
 * encoded, scored together, and each becomes an output row with its scores, in input order. A window of
 * minibatches is read at a time and scored in batches of similar length, so padding costs little. Shared by
 * batch prediction and the Spark ML model's {@code transform}.
 *
 * @param <I> the input record type
 */
public final class ScoredBatches<I> implements Iterator<Row> {

    /**
     * Minibatches read ahead and sorted by length together: with mixed lengths the batches carry little padding,
     * and a task holds this many batches' records at a time.
     */
    static final int WINDOW_BATCHES = 8;

    private final Iterator<I> inputs;
    private final int batchSize;
    private final BroadcastInferenceModel shared;
    private final Function<I, EncodedSequence> encode;
    private final BiFunction<I, float[][], Row> toRow;
    private final Scoring scoring;
    private Iterator<Row> ready = Collections.emptyIterator();

    /** What a minibatch of sequences gives: {@code [sequence][row][value]}. */
    @FunctionalInterface
    public interface Scoring {
        float[][][] score(TransformerModel model, List<EncodedSequence> sequences);
    }

    /** A classifier's logits: one row per target ({@link BatchScorer}). */
    public static final Scoring LOGITS = (model, sequences) -> new BatchScorer(model).score(sequences);

    /**
     * @param encode turns a record into the sequence to score
     * @param toRow  turns a record and its scores ([positions][classes]) into the output row
     */
    public ScoredBatches(Iterator<I> inputs, int batchSize, BroadcastInferenceModel shared, Function<I, EncodedSequence> encode,
                         BiFunction<I, float[][], Row> toRow) {
        this(inputs, batchSize, shared, encode, toRow, LOGITS);
    }

    /** As the other constructor, scoring each minibatch with {@code scoring} (e.g. {@link BatchEmbedder#MEAN_POOLED}). */
    public ScoredBatches(Iterator<I> inputs, int batchSize, BroadcastInferenceModel shared, Function<I, EncodedSequence> encode,
                         BiFunction<I, float[][], Row> toRow, Scoring scoring) {
        this.scoring = scoring;
        this.inputs = inputs;
        this.batchSize = batchSize;
        this.shared = shared;
        this.encode = encode;
        this.toRow = toRow;
    }

    @Override
    public boolean hasNext() {
        if (!ready.hasNext() && inputs.hasNext()) {
            ready = nextBatch().iterator();
        }
        return ready.hasNext();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.next();
    }

    /**
     * The next window of up to {@value #WINDOW_BATCHES} minibatches: its records scored in batches of similar length
     * ({@link LengthBuckets}), each as long as its longest sequence, and returned in input order.
     */
    private List<Row> nextBatch() {
        int window = batchSize * WINDOW_BATCHES;
        List<I> records = new ArrayList<>(window);
        List<EncodedSequence> encoded = new ArrayList<>(window);
        while (inputs.hasNext() && records.size() < window) {
            I input = inputs.next();
            records.add(input);
            encoded.add(encode.apply(input));
        }
        int[] lengths = encoded.stream().mapToInt(EncodedSequence::length).toArray();
        float[][][] scores = new float[records.size()][][];
        try (ExecutorModelCache.Lease<ResidentInferenceModel> lease = ResidentInferenceModel.lease(shared)) {
            for (int[] bucket : LengthBuckets.batches(lengths, batchSize)) {
                List<EncodedSequence> sequences = new ArrayList<>(bucket.length);
                for (int i : bucket) {
                    sequences.add(encoded.get(i));
                }
                float[][][] scored = scoring.score(lease.model().model(), sequences);
                for (int j = 0; j < bucket.length; j++) {
                    scores[bucket[j]] = scored[j];
                }
            }
        }
        List<Row> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            out.add(toRow.apply(records.get(i), scores[i]));
        }
        return out;
    }
}
