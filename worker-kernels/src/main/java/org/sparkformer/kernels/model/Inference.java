package org.sparkformer.kernels.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.host.BlasThreads;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;
import org.sparkformer.kernels.layers.AttentionBias;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.Embeddings;
import org.sparkformer.kernels.layers.Head;
import org.sparkformer.kernels.layers.LayerNorm;
import org.sparkformer.kernels.layers.TransformerBlock;
import org.sparkformer.kernels.layers.Workspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The inference path of a {@link TransformerModel} ({@link TransformerModel#inference()}), for throughput: the same
 * function as the model's eval-mode forward ({@link TransformerModel#logits(MiniBatch)}) to float rounding, computed
 * with nothing kept for backward. Every block runs its eval pass ({@link TransformerBlock#infer}): the residual
 * stream moves between two buffers, the normalised input and every branch's inner activations are scratch shared by
 * all blocks, dense layers apply their bias and activation in one pass, and attention runs a batch row at a time
 * with its scores in cache. With several host threads, each thread takes a contiguous group of the batch's rows
 * through the whole encoder with its own buffers and one BLAS thread per product: sequences never meet in an
 * encoder, so the threads wait for each other once per batch instead of at every layer's every pass. The head runs
 * only where the caller wants logits: for token-level tasks at the positions it names, so a masked-LM's vocabulary
 * projection costs nothing at positions nobody reads.
 *
 * <p>The {@code [N, *]} buffers grow to the largest batch seen and serve every smaller one (only the attention
 * scores and mask, whose width is the batch's length, are made again when it changes), so batches trimmed to their
 * longest sequence ({@link LengthBuckets}) cost no large allocations. Results are written into the caller's array or
 * returned as views of a workspace, valid until the next call. Not thread-safe, like the model.
 */
public final class Inference {

    private final TransformerConfig cfg;
    private final Embeddings embeddings;
    private final List<TransformerBlock> blocks;
    private final LayerNorm finalNorm;
    private final Head head;
    private final DataType dataType;
    private final Workspace ws;
    /** The buffers of each thread's group of rows ({@link #encode}). */
    private final List<Workspace> groupSpaces = new ArrayList<>();

    Inference(TransformerConfig cfg, DataType dataType, Embeddings embeddings, List<TransformerBlock> blocks,
              LayerNorm finalNorm, Head head) {
        this.cfg = cfg;
        this.dataType = dataType;
        this.embeddings = embeddings;
        this.blocks = List.copyOf(blocks);
        this.finalNorm = finalNorm;
        this.head = head;
        this.ws = new Workspace(dataType);
    }

    /** Logit columns: the vocabulary for language models, the labels for classifiers. */
    public int outputs() {
        return cfg.task() == Task.MASKED_LM || cfg.task() == Task.CAUSAL_LM ? cfg.vocabSize() : cfg.numLabels();
    }

    /** Whether the model predicts per token (every task but sequence classification). */
    public boolean perToken() {
        return cfg.task() != Task.SEQUENCE_CLASSIFICATION;
    }

    /**
     * The final hidden states {@code [rows*seqLen, dModel]}, row-major over rows then positions: a view of this
     * pass's workspace, valid until the next call.
     */
    public INDArray hidden(MiniBatch batch) {
        return encode(batch);
    }

    /**
     * Logits at every prediction row, as {@link TransformerModel#logits(MiniBatch)} lays them out (sequence
     * classification {@code [rows, numLabels]}, other tasks {@code [rows*seqLen, outputs]}), written into {@code out}
     * (contiguous c-order, of that shape and the model's data type). Returns {@code out}.
     */
    public INDArray logits(MiniBatch batch, INDArray out) {
        long predictions = perToken() ? (long) batch.rows() * batch.seqLen() : batch.rows();
        check(out, predictions);
        INDArray hidden = encode(batch);
        head.infer(hidden, batch, null, headContext(batch), out);
        return out;
    }

    /** {@link #logits(MiniBatch, INDArray)} into a new array. */
    public INDArray logits(MiniBatch batch) {
        long predictions = perToken() ? (long) batch.rows() * batch.seqLen() : batch.rows();
        return logits(batch, Nd4j.create(dataType, predictions, outputs()));
    }

    /**
     * Logits {@code [positions.length, outputs]} at the given positions only (indices into the {@code rows*seqLen}
     * token positions; for a tagger that pools words by their mean, the word starts), for token-level tasks, in a new
     * array: the head, and a masked-LM's vocabulary projection, run at those rows alone.
     */
    public INDArray logitsAt(MiniBatch batch, int[] positions) {
        if (!perToken()) {
            throw new IllegalArgumentException("logits at positions need a token-level task, the model's task is "
                    + cfg.task());
        }
        int cells = batch.rows() * batch.seqLen();
        for (int p : positions) {
            if (p < 0 || p >= cells) {
                throw new IllegalArgumentException("position " + p + " is outside the batch's " + batch.rows() + " x "
                        + batch.seqLen() + " tokens");
            }
        }
        INDArray out = Nd4j.create(dataType, positions.length, outputs());
        if (positions.length == 0) {
            return out;
        }
        INDArray hidden = encode(batch);
        head.infer(hidden, batch, positions, headContext(batch), out);
        return out;
    }

    private void check(INDArray out, long predictions) {
        if (out.rank() != 2 || out.rows() != predictions || out.columns() != outputs() || out.dataType() != dataType
                || out.ordering() != 'c' || out.elementWiseStride() != 1) {
            throw new IllegalArgumentException("logits buffer is " + out.dataType() + " " + Arrays.toString(out.shape())
                    + " (" + out.ordering() + "-order), the batch needs c-order " + dataType + " [" + predictions + ", "
                    + outputs() + "]");
        }
    }

    /** The context of a head: the batch's shape and the workspace; heads read no attention mask, so it has none. */
    private BatchContext headContext(MiniBatch batch) {
        return new BatchContext(batch.rows(), batch.seqLen(), ws, false, 0L, null, null);
    }

    private BatchContext context(MiniBatch batch, Workspace ws) {
        INDArray bias = AttentionBias.build(batch, cfg.attention(), ws);
        int[] mask = batch.attentionMask();
        boolean padded = Arrays.stream(mask).anyMatch(m -> m == 0);
        return new BatchContext(batch.rows(), batch.seqLen(), ws, false, 0L, bias, padded ? mask : null);
    }

    /**
     * The final hidden states of the batch: a workspace view. With more than one host thread and row, the rows are
     * split into one contiguous group per thread and each thread runs the whole encoder over its group
     * ({@link #encodeGroup}) with its own buffers and one BLAS thread per product ({@link BlasThreads}): sequences
     * never meet in an encoder, so the threads share nothing until the head, and every product is a whole group's.
     */
    private INDArray encode(MiniBatch batch) {
        if (batch.seqLen() > cfg.maxLength()) {
            throw new IllegalArgumentException("batch seqLen " + batch.seqLen() + " exceeds maxLength " + cfg.maxLength());
        }
        int groups = Math.min(HostThreads.threads(), batch.rows());
        if (groups <= 1) {
            return encodeGroup(batch, context(batch, ws), ws, null);
        }
        INDArray hidden = ws.rows("inference.hidden", (long) batch.rows() * batch.seqLen(), cfg.dModel());
        int t = batch.seqLen();
        MiniBatch[] parts = new MiniBatch[groups];
        Workspace[] spaces = new Workspace[groups];
        for (int g = 0; g < groups; g++) {
            int first = bound(batch.rows(), groups, g);
            int rows = bound(batch.rows(), groups, g + 1) - first;
            int[] none = new int[rows];
            Arrays.fill(none, MiniBatch.IGNORE);
            parts[g] = new MiniBatch(rows, t, Arrays.copyOfRange(batch.tokenIds(), first * t, (first + rows) * t),
                    Arrays.copyOfRange(batch.attentionMask(), first * t, (first + rows) * t), none);
            spaces[g] = groupSpace(g);
        }
        BlasThreads.oneEach(() -> HostThreads.forRange(groups, 1, (from, to) -> {
            for (int g = from; g < to; g++) {
                long firstRow = (long) bound(batch.rows(), groups, g) * t;
                INDArray target = hidden.get(NDArrayIndex.interval(firstRow, firstRow + (long) parts[g].rows() * t),
                        NDArrayIndex.all());
                encodeGroup(parts[g], context(parts[g], spaces[g]), spaces[g], target);
            }
        }));
        return hidden;
    }

    private Workspace groupSpace(int g) {
        while (groupSpaces.size() <= g) {
            groupSpaces.add(new Workspace(dataType));
        }
        return groupSpaces.get(g);
    }

    private static int bound(int count, int groups, int i) {
        return (int) ((long) count * i / groups);
    }

    /**
     * Embeddings, then every block between two stream buffers, then the final LayerNorm, over the rows of {@code c};
     * the result goes to {@code target} when it is not null (rows of a larger array), else stays in {@code space}.
     */
    private INDArray encodeGroup(MiniBatch batch, BatchContext c, Workspace space, INDArray target) {
        int n = c.positions();
        int d = cfg.dModel();
        INDArray x = space.rows("inference.streamA", n, d);
        INDArray y = space.rows("inference.streamB", n, d);
        INDArray scratch = space.rows("inference.norm", n, d);
        embeddings.forward(batch.tokenIds(), x, c);
        for (TransformerBlock block : blocks) {
            block.infer(x, y, scratch, c);
            INDArray t = x;
            x = y;
            y = t;
        }
        if (finalNorm != null) {
            INDArray out = target != null ? target : y;
            finalNorm.forward(x, out, space, false);
            return out;
        }
        if (target != null) {
            HostArray from = HostArray.of(x);
            HostArray to = HostArray.of(target);
            float[] row = new float[d];
            double[] wide = new double[d];
            for (int r = 0; r < n; r++) {
                if (from.isFloat() && to.isFloat()) {
                    from.readFloats(r * d, row, d);
                    to.writeFloats(r * d, row, d);
                } else {
                    from.read(r * d, wide, d, row);
                    to.write(r * d, wide, d, row);
                }
            }
            return target;
        }
        return x;
    }
}
