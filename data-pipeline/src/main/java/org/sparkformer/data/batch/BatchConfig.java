package org.sparkformer.data.batch;

import java.io.Serializable;

/**
 * How a partition's sequences become minibatches.
 *
 * @param batchSize      sequences per batch (the last batch of an epoch may have fewer)
 * @param objective      what the labels are
 * @param masking        masked-LM corruption (used for {@link Objective#MASKED_LM} only)
 * @param bucketByLength group sequences of similar length into batches to cut padding
 * @param bucketBatches  with bucketing: how many batches' worth of shuffled sequences are sorted by length together
 * @param wordDropout    words replaced by [MASK] in classification batches ({@link WordDropout#NONE} for none)
 */
public record BatchConfig(int batchSize, Objective objective, MaskingPolicy masking, boolean bucketByLength,
                          int bucketBatches, WordDropout wordDropout) implements Serializable {

    public BatchConfig {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        if (objective == null) {
            throw new IllegalArgumentException("objective must be given");
        }
        if (objective == Objective.MASKED_LM && masking == null) {
            throw new IllegalArgumentException("masked-LM batches need a masking policy");
        }
        if (bucketBatches <= 0) {
            throw new IllegalArgumentException("bucketBatches must be > 0, got " + bucketBatches);
        }
        if (wordDropout == null) {
            throw new IllegalArgumentException("wordDropout must be given (WordDropout.NONE for none)");
        }
        if (wordDropout.enabled() && objective != Objective.SEQUENCE_CLASSIFICATION
                && objective != Objective.TOKEN_CLASSIFICATION) {
            throw new IllegalArgumentException("word dropout applies to classification batches, not " + objective);
        }
    }

    /** Without word dropout. */
    public BatchConfig(int batchSize, Objective objective, MaskingPolicy masking, boolean bucketByLength,
                       int bucketBatches) {
        this(batchSize, objective, masking, bucketByLength, bucketBatches, WordDropout.NONE);
    }

    /** With bucketing, how many batches' worth of shuffled sequences are sorted by length together unless told otherwise. */
    public static final int BUCKET_BATCHES = 50;

    public static BatchConfig maskedLm(int batchSize) {
        return maskedLm(batchSize, MaskingPolicy.bert());
    }

    public static BatchConfig maskedLm(int batchSize, MaskingPolicy masking) {
        return new BatchConfig(batchSize, Objective.MASKED_LM, masking, false, BUCKET_BATCHES);
    }

    public static BatchConfig of(int batchSize, Objective objective) {
        return new BatchConfig(batchSize, objective, MaskingPolicy.bert(), false, BUCKET_BATCHES);
    }

    /** Bucketing by length, {@link #BUCKET_BATCHES} batches to a bucket. */
    public BatchConfig withBucketing() {
        return withBucketing(BUCKET_BATCHES);
    }

    public BatchConfig withBucketing(int batchesPerBucket) {
        return new BatchConfig(batchSize, objective, masking, true, batchesPerBucket, wordDropout);
    }

    /** The same batches with each word replaced by [MASK] with probability {@code rate}. */
    public BatchConfig withWordDropout(double rate) {
        return new BatchConfig(batchSize, objective, masking, bucketByLength, bucketBatches, new WordDropout(rate));
    }
}
