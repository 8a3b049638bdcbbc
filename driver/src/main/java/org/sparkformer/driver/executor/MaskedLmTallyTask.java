package org.sparkformer.driver.executor;

import org.apache.spark.api.java.function.Function2;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.Iterator;
import java.util.List;

/**
 * An evaluation task of a masked-LM model: masks its partition's sequences as {@code batches} says, with the seed and
 * the partition's index (epoch 0), and returns one {@link LanguageModelTally} of the model's loss on them.
 */
public final class MaskedLmTallyTask
        implements Function2<Integer, Iterator<EncodedSequence>, Iterator<LanguageModelTally>> {

    private final BroadcastInferenceModel shared;
    // the vocabulary travels in the task: Kryo, which carries broadcasts, cannot copy its immutable lists
    private final Vocabulary vocabulary;
    private final BatchConfig batches;
    private final long seed;

    public MaskedLmTallyTask(BroadcastInferenceModel shared, Vocabulary vocabulary, BatchConfig batches, long seed) {
        this.shared = shared;
        this.vocabulary = vocabulary;
        this.batches = batches;
        this.seed = seed;
    }

    @Override
    public Iterator<LanguageModelTally> call(Integer partition, Iterator<EncodedSequence> sequences) {
        return List.of(tally(sequences, partition)).iterator();
    }

    /** The tally of partition {@code partition}'s {@code sequences}, empty when there are none. */
    private LanguageModelTally tally(Iterator<EncodedSequence> sequences, int partition) {
        LanguageModelTally tally = new LanguageModelTally();
        MiniBatchIterator it = MiniBatchIterator.over(sequences, batches, vocabulary, seed, partition, new BatchPosition(0, 0), 1);
        if (!it.hasNext()) {
            return tally;
        }
        try (ExecutorModelCache.Lease<ResidentInferenceModel> lease = ResidentInferenceModel.lease(shared)) {
            TransformerModel model = lease.model().model();
            while (it.hasNext()) {
                MiniBatch batch = it.next();
                int masked = batch.labelledPositions();
                double meanLoss = masked == 0 ? 0.0 : model.loss(batch);
                tally.addBatch(meanLoss, masked, batch.realTokens(), batch.rows());
            }
        }
        return tally;
    }
}
