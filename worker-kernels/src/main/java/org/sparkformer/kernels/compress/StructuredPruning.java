package org.sparkformer.kernels.compress;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Structured pruning: whole attention heads and feed-forward neurons removed, so the pruned matrices are physically
 * smaller. Block {@code i} keeps the same share of its heads and of its neurons, those with the highest importance;
 * its {@code attention.qkv} loses the Q, K and V rows of a removed head and {@code attention.out} its columns, its
 * {@code ffn.in} loses the rows of a removed neuron and {@code ffn.out} its columns. A head's (a neuron's) output
 * reaches the residual stream only through its columns of the output projection, so the pruned model computes what
 * the dense model computes with those columns set to zero ({@link #mask}).
 */
public final class StructuredPruning {

    private StructuredPruning() {
    }

    /**
     * Importance of every head and neuron, block by block.
     *
     * @param heads   {@code heads[block][head]}
     * @param neurons {@code neurons[block][neuron]}
     */
    public record Importance(double[][] heads, double[][] neurons) {
    }

    /**
     * The heads and neurons each block keeps, as ascending indices into its current ones.
     *
     * @param heads   {@code heads[block]}: the kept heads
     * @param neurons {@code neurons[block]}: the kept feed-forward neurons
     */
    public record Kept(int[][] heads, int[][] neurons) {

        /** Heads kept per block. */
        public List<Integer> headCounts() {
            return Arrays.stream(heads).map(h -> h.length).toList();
        }

        /** Feed-forward widths kept per block. */
        public List<Integer> neuronCounts() {
            return Arrays.stream(neurons).map(n -> n.length).toList();
        }
    }

    /**
     * First-order Taylor importance on labelled {@code batches}, in eval mode: for a head (neuron) with output-projection
     * columns {@code W[:, j]}, the sum over batches of {@code |sum_j W[:, j] . dL/dW[:, j]|}, the first-order change of
     * the loss when its output is switched off (Michel et al. 2019; Molchanov et al. 2019).
     */
    public static Importance taylor(TransformerModel model, Iterable<MiniBatch> batches) {
        TransformerConfig cfg = model.config();
        TransformerModel probe = new TransformerModel(cfg.withDropout(0, 0));
        probe.loadParameters(model.parametersAsFloats());
        double[][] heads = new double[cfg.layers()][];
        double[][] neurons = new double[cfg.layers()][];
        for (int b = 0; b < cfg.layers(); b++) {
            heads[b] = new double[cfg.headsIn(b)];
            neurons[b] = new double[cfg.dFfIn(b)];
        }
        Map<String, INDArray> values = probe.namedParameters();
        Map<String, INDArray> grads = probe.namedGradients();
        int seen = 0;
        for (MiniBatch batch : batches) {
            probe.lossAndGradients(batch, 0L);
            for (int b = 0; b < cfg.layers(); b++) {
                addTaylor(heads[b], values.get(attentionOut(b)), grads.get(attentionOut(b)), cfg.headSize());
                addTaylor(neurons[b], values.get(ffnOut(b)), grads.get(ffnOut(b)), 1);
            }
            seen++;
        }
        if (seen == 0) {
            throw new IllegalArgumentException("Taylor importance needs at least one calibration batch");
        }
        return new Importance(heads, neurons);
    }

    /** Adds {@code |sum over the group's columns of w . g|} for each group of {@code groupWidth} columns. */
    private static void addTaylor(double[] scores, INDArray w, INDArray g, int groupWidth) {
        float[][] wv = w.castTo(DataType.FLOAT).toFloatMatrix();
        float[][] gv = g.castTo(DataType.FLOAT).toFloatMatrix();
        for (int group = 0; group < scores.length; group++) {
            double sum = 0;
            for (int r = 0; r < wv.length; r++) {
                for (int c = group * groupWidth; c < (group + 1) * groupWidth; c++) {
                    sum += (double) wv[r][c] * gv[r][c];
                }
            }
            scores[group] += Math.abs(sum);
        }
    }

    /**
     * Magnitude importance, without data: the L2 norm of a head's (a neuron's) output-projection columns times that of
     * its value rows (its input-projection row).
     */
    public static Importance magnitude(TransformerModel model) {
        TransformerConfig cfg = model.config();
        Map<String, INDArray> values = model.namedParameters();
        double[][] heads = new double[cfg.layers()][];
        double[][] neurons = new double[cfg.layers()][];
        int dh = cfg.headSize();
        for (int b = 0; b < cfg.layers(); b++) {
            float[][] out = values.get(attentionOut(b)).castTo(DataType.FLOAT).toFloatMatrix();
            float[][] qkv = values.get(attentionQkv(b, "weight")).castTo(DataType.FLOAT).toFloatMatrix();
            int width = cfg.headsIn(b) * dh;
            heads[b] = new double[cfg.headsIn(b)];
            for (int h = 0; h < heads[b].length; h++) {
                heads[b][h] = columnNorm(out, h * dh, (h + 1) * dh) * rowNorm(qkv, 2 * width + h * dh, 2 * width + (h + 1) * dh);
            }
            float[][] ffnOut = values.get(ffnOut(b)).castTo(DataType.FLOAT).toFloatMatrix();
            float[][] ffnIn = values.get(ffnIn(b, "weight")).castTo(DataType.FLOAT).toFloatMatrix();
            neurons[b] = new double[cfg.dFfIn(b)];
            for (int j = 0; j < neurons[b].length; j++) {
                neurons[b][j] = columnNorm(ffnOut, j, j + 1) * rowNorm(ffnIn, j, j + 1);
            }
        }
        return new Importance(heads, neurons);
    }

    private static double columnNorm(float[][] m, int from, int to) {
        double sum = 0;
        for (float[] row : m) {
            for (int c = from; c < to; c++) {
                sum += (double) row[c] * row[c];
            }
        }
        return Math.sqrt(sum);
    }

    private static double rowNorm(float[][] m, int from, int to) {
        double sum = 0;
        for (int r = from; r < to; r++) {
            for (float v : m[r]) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * What each block keeps when it drops {@code round(headShare * heads)} of its heads and {@code round(ffnShare *
     * width)} of its neurons, the least important first (ties: the higher index goes).
     *
     * @throws IllegalArgumentException when a share is outside [0, 1) or would remove every head or neuron of a block
     */
    public static Kept keep(Importance importance, double headShare, double ffnShare) {
        requireShare(headShare, "heads");
        requireShare(ffnShare, "ffn");
        int blocks = importance.heads().length;
        int[][] heads = new int[blocks][];
        int[][] neurons = new int[blocks][];
        for (int b = 0; b < blocks; b++) {
            heads[b] = mostImportant(importance.heads()[b], headShare, "heads", b);
            neurons[b] = mostImportant(importance.neurons()[b], ffnShare, "ffn", b);
        }
        return new Kept(heads, neurons);
    }

    private static void requireShare(double share, String what) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException(what + ":" + share + " is outside [0, 1): the share of " + what
                    + " to remove from each block");
        }
    }

    private static int[] mostImportant(double[] scores, double share, String what, int block) {
        int removed = (int) Math.round(share * scores.length);
        if (removed >= scores.length) {
            throw new IllegalArgumentException(what + ":" + share + " would remove every one of the " + scores.length + " "
                    + (what.equals("heads") ? "heads" : "feed-forward neurons") + " of block " + block
                    + " (round(" + share + " x " + scores.length + ") = " + removed + "); at most "
                    + (scores.length - 1) + " can go");
        }
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(scores.length - removed).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** A model of the pruned shape holding {@code model}'s parameters for what {@code kept} keeps. */
    public static TransformerModel prune(TransformerModel model, Kept kept) {
        TransformerConfig cfg = model.config();
        TransformerConfig pruned = cfg.withLayerWidths(kept.headCounts(), kept.neuronCounts());
        TransformerModel target = new TransformerModel(pruned, model.dataType());
        Map<String, INDArray> from = model.namedParameters();
        Map<String, INDArray> to = target.namedParameters();
        Map<String, Slice> slices = new LinkedHashMap<>();
        int dh = cfg.headSize();
        for (int b = 0; b < cfg.layers(); b++) {
            int[] qkvRows = qkvRows(kept.heads()[b], cfg.headsIn(b), dh);
            int[] headColumns = headColumns(kept.heads()[b], dh);
            slices.put(attentionQkv(b, "weight"), new Slice(qkvRows, null));
            slices.put(attentionQkv(b, "bias"), new Slice(qkvRows, null));
            slices.put(attentionOut(b), new Slice(null, headColumns));
            slices.put(ffnIn(b, "weight"), new Slice(kept.neurons()[b], null));
            slices.put(ffnIn(b, "bias"), new Slice(kept.neurons()[b], null));
            slices.put(ffnOut(b), new Slice(null, kept.neurons()[b]));
        }
        for (Map.Entry<String, INDArray> e : to.entrySet()) {
            INDArray source = from.get(e.getKey());
            Slice slice = slices.get(e.getKey());
            e.getValue().assign(slice == null ? source : slice.of(source, e.getValue()));
        }
        return target;
    }

    /** Sets the output-projection columns of every head and neuron {@code kept} does not keep to zero, in place. */
    public static void mask(TransformerModel model, Kept kept) {
        TransformerConfig cfg = model.config();
        Map<String, INDArray> values = model.namedParameters();
        int dh = cfg.headSize();
        for (int b = 0; b < cfg.layers(); b++) {
            INDArray out = values.get(attentionOut(b));
            for (int h = 0; h < cfg.headsIn(b); h++) {
                if (Arrays.binarySearch(kept.heads()[b], h) < 0) {
                    for (int c = h * dh; c < (h + 1) * dh; c++) {
                        out.getColumn(c).assign(0);
                    }
                }
            }
            INDArray ffn = values.get(ffnOut(b));
            for (int j = 0; j < cfg.dFfIn(b); j++) {
                if (Arrays.binarySearch(kept.neurons()[b], j) < 0) {
                    ffn.getColumn(j).assign(0);
                }
            }
        }
    }

    /** Rows of {@code [3*a, d]} (or {@code [3*a]}) that Q, K and V of the kept heads occupy. */
    private static int[] qkvRows(int[] heads, int headCount, int dh) {
        int width = headCount * dh;
        List<Integer> rows = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            for (int h : heads) {
                for (int r = 0; r < dh; r++) {
                    rows.add(part * width + h * dh + r);
                }
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] headColumns(int[] heads, int dh) {
        return Arrays.stream(heads).flatMap(h -> IntStream.range(h * dh, (h + 1) * dh)).toArray();
    }

    /** Rows or columns of a matrix (elements of a vector) to keep; null keeps all. */
    private record Slice(int[] rows, int[] columns) {

        /** The kept part of {@code source}, in the target's data type and shape. */
        INDArray of(INDArray source, INDArray target) {
            float[] values = source.castTo(DataType.FLOAT).dup('c').reshape(source.length()).toFloatVector();
            long[] shape = source.shape();
            int cols = shape.length == 1 ? 1 : (int) shape[1];
            int[] keptRows = rows != null ? rows : IntStream.range(0, (int) shape[0]).toArray();
            int[] keptCols = columns != null ? columns : IntStream.range(0, cols).toArray();
            float[] out = new float[keptRows.length * keptCols.length];
            int at = 0;
            for (int r : keptRows) {
                for (int c : keptCols) {
                    out[at++] = values[r * cols + c];
                }
            }
            return Nd4j.createFromArray(out).reshape(target.shape()).castTo(target.dataType());
        }
    }

    static String attentionQkv(int block, String part) {
        return "blocks." + block + ".attention.qkv." + part;
    }

    static String attentionOut(int block) {
        return "blocks." + block + ".attention.out.weight";
    }

    static String ffnIn(int block, String part) {
        return "blocks." + block + ".ffn.in." + part;
    }

    static String ffnOut(int block) {
        return "blocks." + block + ".ffn.out.weight";
    }
}
