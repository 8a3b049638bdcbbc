package org.sparkformer.data.report;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.kernels.batch.MiniBatch;

/**
 * Counts over encoded sequences, computed by one aggregate on the executors.
 *
 * @param sequences     number of sequences
 * @param tokens        tokens, [CLS]/[SEP] included
 * @param unknownTokens [UNK] tokens
 * @param truncated     sequences marked truncated
 * @param labelCounts   sequences per sequence-label id, or labelled tokens per tag id
 */
public record SequenceStatistics(long sequences, long tokens, long unknownTokens, long truncated,
                                 Map<Integer, Long> labelCounts) implements Serializable {

    public static SequenceStatistics empty() {
        return new SequenceStatistics(0, 0, 0, 0, new TreeMap<>());
    }

    /** Statistics of {@code sequences}, counting [UNK] as {@code unkId}. */
    public static SequenceStatistics of(JavaRDD<EncodedSequence> sequences, int unkId) {
        return sequences.aggregate(empty(), (stats, s) -> stats.plus(s, unkId), SequenceStatistics::merge);
    }

    SequenceStatistics plus(EncodedSequence s, int unkId) {
        long unk = 0;
        for (int id : s.tokenIds()) {
            if (id == unkId) {
                unk++;
            }
        }
        Map<Integer, Long> labels = new TreeMap<>(labelCounts);
        if (s.label() != MiniBatch.IGNORE) {
            labels.merge(s.label(), 1L, Long::sum);
        }
        if (s.hasTokenLabels()) {
            for (int tag : s.tokenLabels()) {
                if (tag != MiniBatch.IGNORE) {
                    labels.merge(tag, 1L, Long::sum);
                }
            }
        }
        return new SequenceStatistics(sequences + 1, tokens + s.length(), unknownTokens + unk,
                truncated + (s.truncated() ? 1 : 0), labels);
    }

    SequenceStatistics merge(SequenceStatistics o) {
        Map<Integer, Long> labels = new TreeMap<>(labelCounts);
        o.labelCounts.forEach((k, v) -> labels.merge(k, v, Long::sum));
        return new SequenceStatistics(sequences + o.sequences, tokens + o.tokens, unknownTokens + o.unknownTokens,
                truncated + o.truncated, labels);
    }
}
