package org.sparkformer.kernels.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.AttentionBias;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.Embeddings;
import org.sparkformer.kernels.layers.Head;
import org.sparkformer.kernels.layers.LayerNorm;
import org.sparkformer.kernels.layers.TransformerBlock;
import org.sparkformer.kernels.layers.Workspace;

import java.util.Arrays;
import java.util.List;

/**
 * The inference path of a {@link TransformerModel} ({@link TransformerModel#inference()}), for throughput: the same
 * function as the model's eval-mode forward ({@link TransformerModel#logits(MiniBatch)}) to float rounding, computed
 * with nothing kept for backward. Every block runs its eval pass ({@link TransformerBlock#infer}): the residual
 * stream moves between two buffers, the normalised input and every branch's inner activations are scratch shared by
 * all blocks, dense layers apply their bias and activation in one pass, and attention runs a batch row at a time
 * with its scores in cache. The head runs only where the caller wants logits: for token-level tasks at the positions
 * it names, so a masked-LM's vocabulary projection costs nothing at positions nobody reads.
 *
 * <p>Buffers live in one workspace that grows to the largest batch seen and serves every smaller one, so batches
 * trimmed to their longest sequence ({@link LengthBuckets}) allocate nothing once the largest has passed. Results
 * are written into the caller's array or returned as views of that workspace, valid until the next call. Not
 * thread-safe, like the model.
 */
public final class Inference {

    private final TransformerConfig cfg;
    private final Embeddings embeddings;
    private final List<TransformerBlock> blocks;
    private final LayerNorm finalNorm;
    private final Head head;
    private final DataType dataType;
    private final Workspace ws;

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
        return encode(batch, context(batch));
    }

    /**
     * Logits at every prediction row, as {@link TransformerModel#logits(MiniBatch)} lays them out (sequence
     * classification {@code [rows, numLabels]}, other tasks {@code [rows*seqLen, outputs]}), written into {@code out}
     * (contiguous c-order, of that shape and the model's data type). Returns {@code out}.
     */
    public INDArray logits(MiniBatch batch, INDArray out) {
        long predictions = perToken() ? (long) batch.rows() * batch.seqLen() : batch.rows();
        check(out, predictions);
        BatchContext c = context(batch);
        head.infer(encode(batch, c), batch, null, c, out);
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
        BatchContext c = context(batch);
        head.infer(encode(batch, c), batch, positions, c, out);
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

    private BatchContext context(MiniBatch batch) {
        if (batch.seqLen() > cfg.maxLength()) {
            throw new IllegalArgumentException("batch seqLen " + batch.seqLen() + " exceeds maxLength " + cfg.maxLength());
        }
        INDArray bias = AttentionBias.build(batch, cfg.attention(), ws);
        int[] mask = batch.attentionMask();
        boolean padded = Arrays.stream(mask).anyMatch(m -> m == 0);
        return new BatchContext(batch.rows(), batch.seqLen(), ws, false, 0L, bias, padded ? mask : null);
    }

    /** Embeddings, then every block between two stream buffers, then the final LayerNorm: a workspace view. */
    private INDArray encode(MiniBatch batch, BatchContext c) {
        int n = c.positions();
        int d = cfg.dModel();
        INDArray x = ws.rows("inference.streamA", n, d);
        INDArray y = ws.rows("inference.streamB", n, d);
        INDArray scratch = ws.rows("inference.norm", n, d);
        embeddings.forward(batch.tokenIds(), x, c);
        for (TransformerBlock block : blocks) {
            block.infer(x, y, scratch, c);
            INDArray t = x;
            x = y;
            y = t;
        }
        if (finalNorm != null) {
            finalNorm.forward(x, y, ws, false);
            return y;
        }
        return x;
    }
}
