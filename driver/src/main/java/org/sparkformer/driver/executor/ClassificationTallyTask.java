package org.sparkformer.driver.executor;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.kernels.batch.MiniBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * An evaluation task of a classification model: scores its partition's sequences in minibatches with the model
 * resident in the executor and returns one {@link ClassificationTally} of them.
 */
public final class ClassificationTallyTask implements FlatMapFunction<Iterator<EncodedSequence>, ClassificationTally> {

    private final BroadcastInferenceModel shared;
    private final int numLabels;
    private final int batchSize;

    public ClassificationTallyTask(BroadcastInferenceModel shared, int numLabels, int batchSize) {
        this.shared = shared;
        this.numLabels = numLabels;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<ClassificationTally> call(Iterator<EncodedSequence> sequences) {
        return List.of(tally(sequences)).iterator();
    }

    /** The tally of {@code sequences}, empty when there are none (then no model is leased). */
    private ClassificationTally tally(Iterator<EncodedSequence> sequences) {
        ClassificationTally tally = new ClassificationTally(numLabels);
        if (!sequences.hasNext()) {
            return tally;
        }
        try (ExecutorModelCache.Lease<ResidentInferenceModel> lease = ResidentInferenceModel.lease(shared)) {
            BatchScorer scorer = new BatchScorer(lease.model().model());
            List<EncodedSequence> chunk = new ArrayList<>(batchSize);
            while (sequences.hasNext()) {
                chunk.add(sequences.next());
                if (chunk.size() == batchSize || !sequences.hasNext()) {
                    addScores(tally, chunk, scorer.score(chunk));
                    chunk.clear();
                }
            }
        }
        return tally;
    }

    private static void addScores(ClassificationTally tally, List<EncodedSequence> chunk, float[][][] scores) {
        for (int s = 0; s < chunk.size(); s++) {
            EncodedSequence sequence = chunk.get(s);
            int[] gold = goldOf(sequence);
            for (int t = 0; t < gold.length; t++) {
                tally.add(gold[t], scores[s][t]);
            }
            tally.countSequence();
        }
    }

    /** Gold labels of a sequence's targets, in the order {@link BatchScorer} scores them. */
    private static int[] goldOf(EncodedSequence s) {
        if (!s.hasTokenLabels()) {
            return new int[]{s.label()};
        }
        return Arrays.stream(s.tokenLabels()).filter(l -> l != MiniBatch.IGNORE).toArray();
    }
}
