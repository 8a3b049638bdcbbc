package org.sparkformer.data.batch;

import java.io.Serializable;
import java.util.Arrays;
import org.sparkformer.kernels.batch.MiniBatch;

/**
 * One tokenized sequence, compactly: primitive token ids (with [CLS]/[SEP]), optional per-token labels, optional
 * sequence label, whether content was cut to fit, and where it came from.
 *
 * @param tokenIds    token ids, [CLS] first and [SEP] last
 * @param tokenLabels one label per token ({@link MiniBatch#IGNORE} where none), or null
 * @param label       the sequence label, or {@link MiniBatch#IGNORE} when none
 * @param truncated   content was cut: a fine-tuning text longer than the maximum, or a pretraining sentence split
 *                    across sequences
 * @param sourceRef   "file:line" of the text it came from
 */
public record EncodedSequence(int[] tokenIds, int[] tokenLabels, int label, boolean truncated, String sourceRef)
        implements Serializable {

    public EncodedSequence {
        if (tokenIds.length == 0) {
            throw new IllegalArgumentException(sourceRef + ": empty sequence");
        }
        if (tokenLabels != null && tokenLabels.length != tokenIds.length) {
            throw new IllegalArgumentException(sourceRef + ": " + tokenLabels.length + " token labels for "
                    + tokenIds.length + " tokens");
        }
    }

    public static EncodedSequence unlabelled(int[] tokenIds, boolean truncated, String sourceRef) {
        return new EncodedSequence(tokenIds, null, MiniBatch.IGNORE, truncated, sourceRef);
    }

    public int length() {
        return tokenIds.length;
    }

    public boolean hasTokenLabels() {
        return tokenLabels != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedSequence s && label == s.label && truncated == s.truncated
                && Arrays.equals(tokenIds, s.tokenIds) && Arrays.equals(tokenLabels, s.tokenLabels)
                && java.util.Objects.equals(sourceRef, s.sourceRef);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokenIds) + Arrays.hashCode(tokenLabels) + label;
    }

    @Override
    public String toString() {
        return "EncodedSequence[" + sourceRef + ", " + tokenIds.length + " tokens" + (truncated ? ", truncated" : "") + "]";
    }
}
