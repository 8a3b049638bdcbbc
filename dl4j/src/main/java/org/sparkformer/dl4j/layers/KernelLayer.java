package org.sparkformer.dl4j.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.dl4j.conf.KernelLayerConf;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.AttentionBias;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.layers.ParameterSet;
import org.sparkformer.kernels.layers.Workspace;
import org.sparkformer.kernels.layers.WorkspaceCache;
import org.sparkformer.kernels.random.SplitMix64;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DL4J layer that runs worker-kernel layers: their parameters are views of this layer's slice of the network's
 * flat parameter and gradient arrays ({@link ParameterSet#bindValues}, {@link ParameterSet#bindGradients}), their
 * activations live in {@link Workspace}s of their own (one per batch shape, the two most recent kept), and every
 * kernel call runs outside DL4J's workspaces, so those buffers outlive a DL4J iteration. Outputs and input
 * gradients are copied into DL4J's workspaces.
 *
 * <p>Gradients follow DL4J's convention: a layer returns the gradient of the minibatch's summed loss, and DL4J's
 * updater divides it by the minibatch size. The heads ({@link HeadLayer}) scale the loss gradient by the rows of the
 * batch, so the gradient DL4J applies is the model's own, of its mean loss.
 *
 * <p>Dropout is the model configuration's, with masks drawn from (model seed, DL4J iteration, epoch) and each layer's
 * site, as the kernels draw them for a batch's dropout seed. DL4J's own {@code dropOut} setting is refused.
 */
public abstract class KernelLayer<C extends KernelLayerConf> extends BaseLayer<C> {

    private static final int CACHED_SHAPES = 2;

    protected final ParameterSet kernelParams;
    protected final TransformerConfig cfg;
    private final WorkspaceCache workspaces;
    /** The context of the last forward pass, which backward continues. */
    protected BatchContext context;

    protected KernelLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("Sparkformer layers run in FLOAT or DOUBLE, the network is " + dataType);
        }
        if (layerConf().getIDropout() != null) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + ": DL4J's dropOut "
                    + layerConf().getIDropout() + " is not applied to a Sparkformer layer; its dropout is the model "
                    + "configuration's (dropout, attentionDropout)");
        }
        this.cfg = layerConf().transformerConfig();
        this.kernelParams = new ParameterSet(dataType);
        this.workspaces = new WorkspaceCache(dataType, CACHED_SHAPES);
    }

    /**
     * Binds the kernel layers' parameters to {@code view}, this layer's slice of the network's parameters, drawing
     * them as the model does when {@code initialise}; returns the views by DL4J key, in order.
     */
    public Map<String, INDArray> bindParameters(INDArray view, boolean initialise) {
        kernelParams.bindValues(view, initialise, cfg.seed(), cfg.initStd());
        Map<String, INDArray> table = new LinkedHashMap<>();
        for (Parameter p : kernelParams.all()) {
            table.put(layerConf().keyOf(p.name()), p.value());
        }
        return table;
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        super.setParamsViewArray(params);
        kernelParams.bindValues(params, false, cfg.seed(), cfg.initStd());
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        kernelParams.bindGradients(gradients);
        this.gradientsFlattened = gradients;
        Map<String, INDArray> views = new LinkedHashMap<>();
        for (Parameter p : kernelParams.all()) {
            views.put(layerConf().keyOf(p.name()), p.grad());
        }
        this.gradientViews = views;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** The padding mask {@code [rows, T]} this layer was given, or null. */
    protected INDArray paddingMask() {
        return maskArray;
    }

    /** 1 for a real token, 0 for padding, row-major; all ones without a mask. */
    protected int[] tokenMask(int rows, int seqLen) {
        int[] mask = new int[rows * seqLen];
        INDArray given = paddingMask();
        if (given == null) {
            Arrays.fill(mask, 1);
            return mask;
        }
        if (given.length() != (long) rows * seqLen || given.size(0) != rows) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + ": the mask is "
                    + Arrays.toString(given.shape()) + ", the input needs [" + rows + ", " + seqLen + "] (1 for a token, 0 for padding)");
        }
        double[] values = given.reshape('c', rows, seqLen).dup('c').data().asDouble();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = values[i] != 0 ? 1 : 0;
        }
        return mask;
    }

    /**
     * The context of a pass over {@code rows} sequences of {@code seqLen}: this layer's buffers for that shape, the
     * attention bias and token mask of the padding mask, the dropout seed of the iteration. Call outside workspaces.
     */
    protected BatchContext newContext(int rows, int seqLen, boolean training) {
        if (seqLen > cfg.maxLength()) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + ": sequences of " + seqLen
                    + " tokens exceed the model's maxLength " + cfg.maxLength());
        }
        Workspace ws = workspaces.forShape(rows, seqLen);
        int[] mask = tokenMask(rows, seqLen);
        boolean padded = Arrays.stream(mask).anyMatch(m -> m == 0);
        INDArray bias = AttentionBias.build(new MiniBatch(rows, seqLen, new int[rows * seqLen], mask, new int[rows]),
                cfg.attention(), ws);
        long seed = SplitMix64.derive(cfg.seed(), getIterationCount(), getEpochCount());
        context = new BatchContext(rows, seqLen, ws, training, seed, bias, padded ? mask : null);
        return context;
    }

    /** The context of the last forward pass, which a backward pass needs. */
    protected BatchContext forwardContext() {
        if (context == null || !context.training()) {
            throw new IllegalStateException("layer " + layerConf().getLayerName() + ": backpropagation needs a forward "
                    + "pass in training mode first");
        }
        return context;
    }

    /** Opens a scope outside every DL4J workspace, where the kernels allocate their long-lived buffers. */
    protected static MemoryWorkspace outsideWorkspaces() {
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }

    /** {@code sequence [rows, T, width]} (any order) copied into this layer's c-order buffer {@code key [N, width]}. */
    protected INDArray copyIn(INDArray sequence, String key, BatchContext c) {
        long width = sequence.size(2);
        INDArray rows = c.ws().array(key, c.positions(), width);
        rows.reshape('c', c.rows(), c.seqLen(), width).assign(sequence);
        return rows;
    }

    /** Checks an input {@code [rows, T, width]} and returns it. */
    protected INDArray requireSequence(INDArray in, long width) {
        if (in.rank() != 3 || in.size(2) != width) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + " takes NWC sequences [rows, T, "
                    + width + "], got " + Arrays.toString(in.shape()));
        }
        return in;
    }

    /** {@code rows [N, width]} as DL4J activations {@code [rows, T, width]} of {@code type}. */
    protected INDArray toSequence(INDArray rows, BatchContext c, LayerWorkspaceMgr mgr, ArrayType type) {
        return mgr.dup(type, rows.reshape('c', c.rows(), c.seqLen(), rows.columns()));
    }

    /** This layer's gradient: views of the network's flat gradient array, by name. */
    protected Gradient collectGradient() {
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (Parameter p : kernelParams.all()) {
            g.gradientForVariable().put(layerConf().keyOf(p.name()), p.grad());
        }
        this.gradient = g;
        return g;
    }

    /** Starts a backward pass: the gradient buffer of this layer zeroed, as the kernels add into it. */
    protected void zeroGradients() {
        if (gradientsFlattened == null) {
            throw new IllegalStateException("layer " + layerConf().getLayerName() + " has no gradient array yet");
        }
        kernelParams.grads().assign(0);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, currentMaskState);
    }
}
