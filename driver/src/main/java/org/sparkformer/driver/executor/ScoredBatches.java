package org.sparkformer.driver.executor;

import org.apache.spark.sql.Row;
import org.sparkformer.data.batch.EncodedSequence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One partition's records scored a minibatch at a time by the executor-resident model: records are
 * encoded, scored together, and each becomes an output row with its scores. Shared by batch prediction
 * and the Spark ML model's {@code transform}.
 *
 * @param <I> the input record type
 */
public final class ScoredBatches<I> implements Iterator<Row> {

    private final Iterator<I> inputs;
    private final int batchSize;
    private final BroadcastInferenceModel shared;
    private final Function<I, EncodedSequence> encode;
    private final BiFunction<I, float[][], Row> toRow;
    private Iterator<Row> ready = Collections.emptyIterator();

    /**
     * @param encode turns a record into the sequence to score
     * @param toRow  turns a record and its scores ([positions][classes]) into the output row
     */
    public ScoredBatches(Iterator<I> inputs, int batchSize, BroadcastInferenceModel shared, Function<I, EncodedSequence> encode,
                         BiFunction<I, float[][], Row> toRow) {
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

    private List<Row> nextBatch() {
        List<I> batch = new ArrayList<>(batchSize);
        List<EncodedSequence> encoded = new ArrayList<>(batchSize);
        while (inputs.hasNext() && batch.size() < batchSize) {
            I input = inputs.next();
            batch.add(input);
            encoded.add(encode.apply(input));
        }
        float[][][] scores;
        try (ExecutorModelCache.Lease<ResidentInferenceModel> lease = ResidentInferenceModel.lease(shared)) {
            scores = new BatchScorer(lease.model().model()).score(encoded);
        }
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(toRow.apply(batch.get(i), scores[i]));
        }
        return out;
    }
}
