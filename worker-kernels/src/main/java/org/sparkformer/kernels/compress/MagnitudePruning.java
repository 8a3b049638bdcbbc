package org.sparkformer.kernels.compress;

import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Unstructured magnitude pruning of a flat parameter vector: the weight tensors that {@link Tensors} selects (by
 * default the encoder blocks' linear weight matrices; biases and LayerNorm are never pruned) lose their
 * smallest-magnitude elements, set to exactly zero, until the requested share of their elements is zero: across all
 * of them at once ({@link Scope#GLOBAL}) or matrix by matrix ({@link Scope#LAYER}). The share counts only the selected
 * tensors. Elements already zero count towards the share, so pruning again to a higher share removes more and never
 * brings one back.
 */
public final class MagnitudePruning {

    /** Where the share of zeros is counted. */
    public enum Scope {
        /** Over all weight matrices together: one magnitude threshold for the whole model. */
        GLOBAL,
        /** In every weight matrix separately. */
        LAYER;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The scope named {@code id} (global or layer). */
        public static Scope parse(String id) {
            for (Scope s : values()) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown sparsity scope '" + id + "' (supported: global, layer)");
        }
    }

    /** Which weight tensors are pruned, and so which the share of zeros counts. */
    public enum Tensors {
        /**
         * The weight matrices of every encoder block's linear layers: the attention projections ({@code qkv},
         * {@code out}) and the feed-forward layers ({@code in}, {@code out}). Embeddings, the task head and a block's
         * local convolution stay dense.
         */
        ENCODER,
        /** Those and the token and position embedding tables. */
        ENCODER_AND_EMBEDDINGS,
        /** Every weight matrix and embedding table, the task head's and the local convolutions' included. */
        ALL;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The choice named {@code id} (encoder, encoder_and_embeddings or all). */
        public static Tensors parse(String id) {
            for (Tensors t : values()) {
                if (t.id().equals(id)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown pruned tensors '" + id
                    + "' (supported: encoder, encoder_and_embeddings, all)");
        }

        /** Whether the weight tensor (a parameter with weight decay) named {@code name} is pruned. */
        public boolean includes(String name) {
            return switch (this) {
                case ENCODER -> encoderLinear(name);
                case ENCODER_AND_EMBEDDINGS -> encoderLinear(name) || name.startsWith("embeddings.");
                case ALL -> true;
            };
        }

        /**
         * An encoder block's attention or feed-forward weight matrix; not the block's local convolution
         * ({@code blocks.<i>.conv.weight}, a few weights per channel), which stays dense except under {@link #ALL}.
         */
        private static boolean encoderLinear(String name) {
            return name.startsWith("blocks.") && (name.contains(".attention.") || name.contains(".ffn."));
        }
    }

    /**
     * A pruned parameter's place in the flat vector.
     *
     * @param name   the parameter
     * @param offset its first element
     * @param length its element count
     */
    public record Segment(String name, int offset, int length) {
    }

    private MagnitudePruning() {
    }

    /** Every weight tensor of {@code model}: those with weight decay (weight matrices and embedding tables). */
    public static List<Segment> segments(TransformerModel model) {
        return segments(model, Tensors.ALL);
    }

    /** The weight tensors of {@code model} that {@code tensors} selects, in parameter order. */
    public static List<Segment> segments(TransformerModel model, Tensors tensors) {
        List<Segment> segments = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            if (p.decayed() && tensors.includes(p.name())) {
                segments.add(new Segment(p.name(), Math.toIntExact(p.offset()), Math.toIntExact(p.length())));
            }
        }
        return segments;
    }

    /** Checks a target share of zeros: in [0, 1). */
    public static double requireSparsity(double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity " + sparsity + " is outside [0, 1)");
        }
        return sparsity;
    }

    /** Zeroes, in place, the smallest-magnitude elements of {@code segments} until {@code sparsity} of them are zero. */
    public static void prune(float[] flat, List<Segment> segments, double sparsity, Scope scope) {
        requireSparsity(sparsity);
        if (scope == Scope.LAYER) {
            for (Segment s : segments) {
                pruneTogether(flat, List.of(s), sparsity);
            }
        } else {
            pruneTogether(flat, segments, sparsity);
        }
    }

    /** Zeroes, in place, every element of {@code segments} that is zero in {@code mask}. */
    public static void keepZeros(float[] flat, float[] mask, List<Segment> segments) {
        for (Segment s : segments) {
            for (int i = s.offset(); i < s.offset() + s.length(); i++) {
                if (mask[i] == 0) {
                    flat[i] = 0;
                }
            }
        }
    }

    /** Share of zero elements in each segment, by name. */
    public static double[] sparsity(float[] flat, List<Segment> segments) {
        double[] out = new double[segments.size()];
        for (int k = 0; k < segments.size(); k++) {
            Segment s = segments.get(k);
            out[k] = zeros(flat, s) / (double) s.length();
        }
        return out;
    }

    /** Share of zero elements over all segments together. */
    public static double overallSparsity(float[] flat, List<Segment> segments) {
        long zeros = 0;
        long total = 0;
        for (Segment s : segments) {
            zeros += zeros(flat, s);
            total += s.length();
        }
        return total == 0 ? 0 : zeros / (double) total;
    }

    private static long zeros(float[] flat, Segment s) {
        long n = 0;
        for (int i = s.offset(); i < s.offset() + s.length(); i++) {
            n += flat[i] == 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * Zeroes the {@code floor(sparsity * n)} smallest magnitudes of the {@code n} elements of {@code segments}; among
     * equal magnitudes at the threshold, the lower indices go first.
     */
    private static void pruneTogether(float[] flat, List<Segment> segments, double sparsity) {
        int n = segments.stream().mapToInt(Segment::length).sum();
        int target = (int) Math.floor(sparsity * n);
        if (target == 0) {
            return;
        }
        float[] magnitudes = new float[n];
        int at = 0;
        for (Segment s : segments) {
            for (int i = s.offset(); i < s.offset() + s.length(); i++) {
                magnitudes[at++] = Math.abs(flat[i]);
            }
        }
        Arrays.sort(magnitudes);
        float threshold = magnitudes[target - 1];
        int below = 0;
        for (float m : magnitudes) {
            if (m < threshold) {
                below++;
            } else {
                break;
            }
        }
        int atThreshold = target - below;
        for (Segment s : segments) {
            for (int i = s.offset(); i < s.offset() + s.length(); i++) {
                float m = Math.abs(flat[i]);
                if (m < threshold) {
                    flat[i] = 0;
                } else if (m == threshold && atThreshold > 0) {
                    flat[i] = 0;
                    atThreshold--;
                }
            }
        }
    }
}
