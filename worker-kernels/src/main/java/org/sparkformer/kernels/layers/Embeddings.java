package org.sparkformer.kernels.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.host.ColumnSums;
import org.sparkformer.kernels.host.HostArray;
import org.sparkformer.kernels.host.HostThreads;

/**
 * Input embedding, in one of two forms:
 * <ul>
 *   <li>{@code x[n] = sqrt(d) * E[token[n]] + P[position(n)]} (token embeddings scaled by sqrt(dModel) as in
 *       "Attention Is All You Need", so that small normal embeddings are not drowned by the unit-amplitude
 *       sinusoids);</li>
 *   <li>with {@link TransformerConfig#embeddingNorm()}, {@code x[n] = LN(E[token[n]] + P[position(n)])} as in BERT:
 *       token and position signals of the same initial size, normalised together, so attention sees word order
 *       from the first step. The LayerNorm is {@code embeddings.norm.{gamma, beta} [d]}.</li>
 * </ul>
 * {@code embeddings.token.weight [vocab, d]}; {@code embeddings.position.weight [maxLength, d]} when learned,
 * otherwise a fixed sinusoidal table.
 */
public final class Embeddings {

    private final int dModel;
    private final int vocabSize;
    private final double scale;
    private final Parameter token;
    private final Parameter position;
    private final INDArray sinusoids;
    private final LayerNorm norm;

    public Embeddings(ParameterSet params, TransformerConfig cfg) {
        this.dModel = cfg.dModel();
        this.vocabSize = cfg.vocabSize();
        this.scale = cfg.embeddingNorm() ? 1.0 : Math.sqrt(cfg.dModel());
        this.token = params.declare("embeddings.token.weight", Parameter.Init.NORMAL, true, cfg.vocabSize(), cfg.dModel());
        if (cfg.positional() == PositionalEncoding.LEARNED) {
            this.position = params.declare("embeddings.position.weight", Parameter.Init.NORMAL, true, cfg.maxLength(), cfg.dModel());
            this.sinusoids = null;
        } else {
            this.position = null;
            this.sinusoids = sinusoidTable(cfg.maxLength(), cfg.dModel(), params.dataType());
        }
        this.norm = cfg.embeddingNorm() ? new LayerNorm(params, "embeddings.norm", cfg.dModel()) : null;
    }

    /** {@code PE[p, 2i] = sin(p / 10000^(2i/d))}, {@code PE[p, 2i+1] = cos(p / 10000^(2i/d))}. */
    static INDArray sinusoidTable(int maxLength, int d, DataType type) {
        double[] table = new double[maxLength * d];
        for (int p = 0; p < maxLength; p++) {
            for (int k = 0; k < d; k++) {
                double angle = p / Math.pow(10000.0, (k - (k % 2)) / (double) d);
                table[p * d + k] = k % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        return Nd4j.createFromArray(table).reshape(maxLength, d).castTo(type);
    }

    /** The token embedding matrix {@code [vocab, d]} (shared with a tied decoder). */
    public Parameter tokenWeight() {
        return token;
    }

    private INDArray positionsOf(int seqLen) {
        INDArray table = position != null ? position.value() : sinusoids;
        return table.get(NDArrayIndex.interval(0, seqLen), NDArrayIndex.all()).reshape(1, (long) seqLen * dModel);
    }

    /**
     * {@code out[N,d]} from token ids (row-major over rows then positions); with the embedding LayerNorm the sum goes
     * to a workspace buffer first and {@code out} receives its normalisation.
     */
    public void forward(int[] tokenIds, INDArray out, BatchContext c) {
        if (norm == null) {
            sum(tokenIds, out, c);
            return;
        }
        INDArray summed = c.ws().rows("embeddings.sum", tokenIds.length, dModel);
        sum(tokenIds, summed, c);
        norm.forward(summed, out, c.ws(), c.training());
    }

    /**
     * {@code out[N,d] = scale * E[token] + P[position]}: for float models one host pass per token row (gather, scale,
     * add the position row), rows split over {@link HostThreads}; libnd4j's gather, scalar multiply and broadcast add
     * otherwise.
     */
    private void sum(int[] tokenIds, INDArray out, BatchContext c) {
        for (int n = 0; n < tokenIds.length; n++) {
            int id = tokenIds[n];
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("token id " + id + " at row " + (n / c.seqLen()) + ", position "
                        + (n % c.seqLen()) + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
        HostArray table = HostArray.of(token.value());
        HostArray positions = HostArray.of(position != null ? position.value() : sinusoids);
        HostArray result = HostArray.of(out);
        if (!(table.isFloat() && positions.isFloat() && result.isFloat())) {
            Nd4j.pullRows(token.value(), out, 1, tokenIds);
            if (norm == null) {
                out.muli(scale);
            }
            out.reshape(c.rows(), (long) c.seqLen() * dModel).addiRowVector(positionsOf(c.seqLen()));
            return;
        }
        float factor = (float) scale;                        // as out.muli(scale) rounds it for a float array
        int seqLen = c.seqLen();
        HostThreads.forRange(tokenIds.length, 64, (first, last) -> {
            float[] row = new float[dModel];
            float[] pos = new float[dModel];
            for (int n = first; n < last; n++) {
                table.readFloats(tokenIds[n] * dModel, row, dModel);
                positions.readFloats((n % seqLen) * dModel, pos, dModel);
                for (int k = 0; k < dModel; k++) {
                    row[k] = row[k] * factor + pos[k];
                }
                result.writeFloats(n * dModel, row, dModel);
            }
        });
    }

    /**
     * Adds the embedding gradients for {@code dOut[N,d]}; with the embedding LayerNorm, {@code dOut} is overwritten by
     * the gradient of the sum.
     */
    public void backward(int[] tokenIds, INDArray dOut, BatchContext c) {
        if (norm != null) {
            norm.backward(dOut, dOut, null, c.ws());
        }
        HostArray grad = HostArray.of(token.grad());
        HostArray upstream = HostArray.of(dOut);
        for (int n = 0; n < tokenIds.length; n++) {
            grad.addScaled(tokenIds[n] * dModel, upstream, n * dModel, dModel, scale);
        }
        if (position != null) {
            INDArray flat = dOut.reshape(c.rows(), (long) c.seqLen() * dModel);
            INDArray posGrad = position.grad().get(NDArrayIndex.interval(0, c.seqLen()), NDArrayIndex.all());
            ColumnSums.addTo(flat, posGrad);
        }
    }
}
