package org.sparkformer.driver.compression;

import org.sparkformer.kernels.compress.MagnitudePruning;
import org.sparkformer.kernels.compress.StructuredPruning;
import org.sparkformer.kernels.compress.WeightFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code sparkformer compress} does to a model, in this order: structured pruning of attention heads and
 * feed-forward neurons, unstructured magnitude pruning, then storage of the weight matrices in a format. Each step is
 * off at its default.
 *
 * @param headShare  share of each block's attention heads to remove, in [0, 1)
 * @param ffnShare   share of each block's feed-forward neurons to remove, in [0, 1)
 * @param importance how heads and neurons are ranked
 * @param sparsity   share of the pruned tensors' elements set to zero by magnitude, in [0, 1)
 * @param tensors    which weight tensors magnitude pruning removes weights from, and so which the share counts
 * @param scope      whether that share holds over all pruned tensors together or in each
 * @param format     how the weight matrices are stored
 */
public record CompressionRecipe(double headShare, double ffnShare, Importance importance, double sparsity,
                                MagnitudePruning.Tensors tensors, MagnitudePruning.Scope scope, WeightFormat format) {

    /** How heads and neurons are ranked for structured pruning. */
    public enum Importance {
        /** First-order Taylor score on calibration batches ({@link StructuredPruning#taylor}). */
        TAYLOR,
        /** Weight norms, without data ({@link StructuredPruning#magnitude}). */
        MAGNITUDE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Importance parse(String id) {
            for (Importance i : values()) {
                if (i.id().equals(id)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unknown importance '" + id + "' (supported: taylor, magnitude)");
        }
    }

    public CompressionRecipe {
        requireShare(headShare, "--prune heads");
        requireShare(ffnShare, "--prune ffn");
        MagnitudePruning.requireSparsity(sparsity);
        if (importance == null || tensors == null || scope == null || format == null) {
            throw new IllegalArgumentException("importance, tensors, scope and format must be set");
        }
    }

    /** Nothing removed, stored as float32; magnitude pruning, when asked for, prunes the encoder's weight matrices. */
    public static CompressionRecipe none() {
        return new CompressionRecipe(0, 0, Importance.TAYLOR, 0, MagnitudePruning.Tensors.ENCODER,
                MagnitudePruning.Scope.GLOBAL, WeightFormat.F32);
    }

    private static void requireShare(double share, String what) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException(what + " " + share + " is outside [0, 1)");
        }
    }

    public CompressionRecipe withStructured(double heads, double ffn, Importance by) {
        return new CompressionRecipe(heads, ffn, by, sparsity, tensors, scope, format);
    }

    public CompressionRecipe withSparsity(double share, MagnitudePruning.Tensors of, MagnitudePruning.Scope in) {
        return new CompressionRecipe(headShare, ffnShare, importance, share, of, in, format);
    }

    public CompressionRecipe withFormat(WeightFormat storedAs) {
        return new CompressionRecipe(headShare, ffnShare, importance, sparsity, tensors, scope, storedAs);
    }

    /** Whether heads or neurons are removed. */
    public boolean prunesStructure() {
        return headShare > 0 || ffnShare > 0;
    }

    /**
     * The recipe of {@code --prune heads:H,ffn:F} (either part may be left out) on top of this one.
     *
     * @throws IllegalArgumentException naming the part that is not {@code heads:share} or {@code ffn:share}
     */
    public CompressionRecipe withPruneSpec(String spec, Importance by) {
        double heads = 0;
        double ffn = 0;
        for (String part : spec.split(",", -1)) {
            String[] kv = part.trim().split(":", -1);
            if (kv.length != 2 || !(kv[0].equals("heads") || kv[0].equals("ffn"))) {
                throw new IllegalArgumentException("--prune " + spec + ": '" + part + "' is not heads:SHARE or ffn:SHARE");
            }
            double share;
            try {
                share = Double.parseDouble(kv[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--prune " + spec + ": '" + kv[1] + "' is not a number");
            }
            requireShare(share, "--prune " + kv[0]);
            if (kv[0].equals("heads")) {
                heads = share;
            } else {
                ffn = share;
            }
        }
        return withStructured(heads, ffn, by);
    }

    /**
     * The recipe the command line's options describe; each may be null (that step off, or its default).
     *
     * @param quantize   {@code int8}, {@code fp16}, {@code bf16} or {@code fp32}
     * @param sparsity   a share in [0, 1)
     * @param tensors    {@code encoder}, {@code encoder_and_embeddings} or {@code all}; null is {@code fallback}
     * @param fallback   the pruned tensors when {@code tensors} is null ({@code training.pruning.tensors})
     * @param scope      {@code global} or {@code layer}
     * @param prune      {@code heads:H,ffn:F}
     * @param importance {@code taylor} or {@code magnitude}
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static CompressionRecipe parse(String quantize, String sparsity, String tensors,
                                          MagnitudePruning.Tensors fallback, String scope, String prune, String importance) {
        CompressionRecipe recipe = none();
        if (quantize != null) {
            try {
                recipe = recipe.withFormat(WeightFormat.parse(quantize));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--quantize: " + e.getMessage());
            }
        }
        MagnitudePruning.Tensors of;
        try {
            of = tensors == null ? fallback : MagnitudePruning.Tensors.parse(tensors);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sparsity-tensors: " + e.getMessage());
        }
        recipe = recipe.withSparsity(0, of, recipe.scope());
        if (sparsity != null || scope != null) {
            double share;
            try {
                share = sparsity == null ? 0 : Double.parseDouble(sparsity);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sparsity: '" + sparsity + "' is not a number");
            }
            try {
                recipe = recipe.withSparsity(share, of, scope == null ? MagnitudePruning.Scope.GLOBAL
                        : MagnitudePruning.Scope.parse(scope));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--sparsity" + (scope == null ? "" : "-scope") + ": " + e.getMessage());
            }
        }
        Importance by;
        try {
            by = importance == null ? Importance.TAYLOR : Importance.parse(importance);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--importance: " + e.getMessage());
        }
        return prune == null ? recipe.withStructured(0, 0, by) : recipe.withPruneSpec(prune, by);
    }

    /** A short description: {@code heads:0.3,ffn:0.3 (taylor) + sparsity 0.9 (encoder, global) + int8}. */
    public String describe() {
        List<String> steps = new ArrayList<>();
        if (prunesStructure()) {
            steps.add("heads:" + headShare + ",ffn:" + ffnShare + " (" + importance.id() + ")");
        }
        if (sparsity > 0) {
            steps.add("sparsity " + sparsity + " (" + tensors.id() + ", " + scope.id() + ")");
        }
        steps.add(format.id());
        return String.join(" + ", steps);
    }
}
