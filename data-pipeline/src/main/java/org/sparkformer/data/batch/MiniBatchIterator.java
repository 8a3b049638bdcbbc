package org.sparkformer.data.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

/**
 * One partition's sequences as {@link MiniBatch}es, epoch after epoch, from a given {@link BatchPosition} up to (not
 * including) an end epoch. Each batch is padded to its longest sequence ([PAD], attention mask 0). The order of an
 * epoch comes from {@link EpochPlan}; masked-LM corruption and {@link WordDropout} of sequence {@code i} in epoch
 * {@code e} are seeded by (job seed, partition, e, i). Both depend only on those coordinates, so starting at (epoch, k) yields exactly the batches
 * an iterator started at (0, 0) yields from that point on, without building the earlier ones.
 */
public final class MiniBatchIterator implements Iterator<MiniBatch> {

    static final long MASK_STREAM = 2;
    static final long WORD_DROPOUT_STREAM = 3;

    private final List<EncodedSequence> sequences;
    private final int[] lengths;
    private final BatchConfig config;
    private final Vocabulary vocabulary;
    private final long seed;
    private final int partition;
    private final int endEpoch;
    private final int batchesPerEpoch;
    private int epoch;
    private int batch;
    private EpochPlan plan;

    /**
     * @param sequences  the partition's sequences, in their stable partition order
     * @param start      the first batch to produce
     * @param endEpoch   the epoch to stop before ({@code Integer.MAX_VALUE} for no end)
     */
    public MiniBatchIterator(List<EncodedSequence> sequences, BatchConfig config, Vocabulary vocabulary, long seed,
                             int partition, BatchPosition start, int endEpoch) {
        this.sequences = sequences;
        this.lengths = sequences.stream().mapToInt(EncodedSequence::length).toArray();
        this.config = config;
        this.vocabulary = vocabulary;
        this.seed = seed;
        this.partition = partition;
        this.endEpoch = endEpoch;
        this.batchesPerEpoch = EpochPlan.batchesPerEpoch(sequences.size(), config.batchSize());
        if (batchesPerEpoch > 0 && start.batch() > batchesPerEpoch) {
            throw new IllegalArgumentException("start batch " + start.batch() + " is past the " + batchesPerEpoch
                    + " batches of an epoch in partition " + partition);
        }
        this.epoch = start.epoch();
        this.batch = start.batch();
        if (batchesPerEpoch > 0 && batch == batchesPerEpoch) {
            epoch++;
            batch = 0;
        }
    }

    /** Drains a partition iterator (as given to {@code mapPartitionsWithIndex}) into an iterator of batches. */
    public static MiniBatchIterator over(Iterator<EncodedSequence> partitionData, BatchConfig config, Vocabulary vocabulary,
                                         long seed, int partition, BatchPosition start, int endEpoch) {
        List<EncodedSequence> list = new ArrayList<>();
        partitionData.forEachRemaining(list::add);
        return new MiniBatchIterator(list, config, vocabulary, seed, partition, start, endEpoch);
    }

    /** Batches per epoch in this partition. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Where the next batch is (the position to save for resuming). */
    public BatchPosition position() {
        return new BatchPosition(epoch, batch);
    }

    @Override
    public boolean hasNext() {
        return batchesPerEpoch > 0 && epoch < endEpoch;
    }

    @Override
    public MiniBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("partition " + partition + " has no batch at epoch " + epoch);
        }
        if (plan == null) {
            plan = EpochPlan.of(lengths, config, seed, partition, epoch);
        }
        MiniBatch result = build(plan.batch(batch));
        batch++;
        if (batch == batchesPerEpoch) {
            batch = 0;
            epoch++;
            plan = null;
        }
        return result;
    }

    private MiniBatch build(int[] indices) {
        int rows = indices.length;
        int seqLen = 0;
        for (int i : indices) {
            seqLen = Math.max(seqLen, lengths[i]);
        }
        int[] tokens = new int[rows * seqLen];
        int[] mask = new int[rows * seqLen];
        boolean perRow = config.objective() == Objective.SEQUENCE_CLASSIFICATION;
        int[] labels = new int[perRow ? rows : rows * seqLen];
        Arrays.fill(tokens, vocabulary.padId());
        Arrays.fill(labels, MiniBatch.IGNORE);
        for (int r = 0; r < rows; r++) {
            EncodedSequence s = sequences.get(indices[r]);
            int offset = r * seqLen;
            int[] ids = s.tokenIds();
            Arrays.fill(mask, offset, offset + ids.length, 1);
            switch (config.objective()) {
                case MASKED_LM -> config.masking().apply(ids, vocabulary,
                        new SplittableRandom(Seeds.derive(seed, MASK_STREAM, partition, epoch, indices[r])), tokens, labels, offset);
                case CAUSAL_LM -> {
                    System.arraycopy(ids, 0, tokens, offset, ids.length);
                    System.arraycopy(ids, 1, labels, offset, ids.length - 1);
                }
                case SEQUENCE_CLASSIFICATION -> {
                    System.arraycopy(ids, 0, tokens, offset, ids.length);
                    labels[r] = s.label();
                    dropWords(tokens, offset, ids.length, null, indices[r]);
                }
                case TOKEN_CLASSIFICATION -> {
                    System.arraycopy(ids, 0, tokens, offset, ids.length);
                    if (!s.hasTokenLabels()) {
                        throw new IllegalStateException(s.sourceRef() + ": token classification needs token labels");
                    }
                    System.arraycopy(s.tokenLabels(), 0, labels, offset, ids.length);
                    dropWords(tokens, offset, ids.length, s.tokenLabels(), indices[r]);
                }
            }
        }
        return new MiniBatch(rows, seqLen, tokens, mask, labels);
    }

    private void dropWords(int[] tokens, int offset, int length, int[] tokenLabels, int sequence) {
        if (config.wordDropout().enabled()) {
            config.wordDropout().apply(tokens, offset, length, tokenLabels, vocabulary,
                    new SplittableRandom(Seeds.derive(seed, WORD_DROPOUT_STREAM, partition, epoch, sequence)));
        }
    }
}
