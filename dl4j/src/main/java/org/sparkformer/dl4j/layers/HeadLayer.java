package org.sparkformer.dl4j.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkformer.dl4j.conf.TransformerHead;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.Head;
import org.sparkformer.kernels.layers.SoftmaxCrossEntropy;

import java.util.Arrays;
import java.util.List;

/**
 * Runs {@link TransformerHead}: a kernel {@link Head} and the model's loss, the mean softmax cross-entropy over the
 * labelled predictions ({@link SoftmaxCrossEntropy}). {@code activate} gives the softmax probabilities at every
 * prediction; the score and gradient come from the labels.
 *
 * <p>DL4J sets an output layer's mask array to the label mask, so this layer keeps the padding mask it is given by
 * {@link #feedForwardMaskArray} apart: pooling and word means need it.
 */
public final class HeadLayer extends KernelLayer<TransformerHead> implements IOutputLayer {

    private final Head head;
    private final boolean perRow;
    private final int outputs;
    private INDArray labels;
    private INDArray paddingMask;

    public HeadLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.head = layerConf().build(kernelParams);
        this.perRow = cfg.task() == Task.SEQUENCE_CLASSIFICATION;
        this.outputs = layerConf().outputs();
    }

    /** One pass: its context, the batch the kernel head reads (mask, word starts), the hidden states and the targets. */
    private record Pass(BatchContext c, MiniBatch batch, INDArray hidden, int[] positions, int[] targets) {
        int count() {
            return SoftmaxCrossEntropy.counted(targets);
        }
    }

    /** Starts a pass over the input; call outside workspaces. With {@code needsTargets}, the labels must be set. */
    private Pass begin(boolean training, boolean needsTargets) {
        assertInputSet(false);
        requireSequence(input, cfg.dModel());
        int rows = Math.toIntExact(input.size(0));
        int seqLen = Math.toIntExact(input.size(1));
        if (needsTargets && labels == null) {
            throw new IllegalStateException("layer " + layerConf().getLayerName() + ": no labels set");
        }
        BatchContext c = newContext(rows, seqLen, training);
        INDArray hidden = copyIn(input, "head.in", c);
        int[] perPrediction = labelsOf(rows, seqLen);
        MiniBatch batch = new MiniBatch(rows, seqLen, new int[rows * seqLen], tokenMask(rows, seqLen), perPrediction);
        if (perRow) {
            return new Pass(c, batch, hidden, null, perPrediction);
        }
        int[] positions = java.util.stream.IntStream.range(0, perPrediction.length)
                .filter(i -> perPrediction[i] != MiniBatch.IGNORE).toArray();
        int[] targets = Arrays.stream(positions).map(i -> perPrediction[i]).toArray();
        return new Pass(c, batch, hidden, positions, targets);
    }

    /**
     * One label per prediction (per row, or per token), {@link MiniBatch#IGNORE} where the label is or the label mask
     * is 0. Without labels: 0 wherever the label mask is 1 (all of them without one), which marks the word starts of
     * a word-pooling token classifier.
     */
    private int[] labelsOf(int rows, int seqLen) {
        int predictions = perRow ? rows : rows * seqLen;
        int[] out = new int[predictions];
        if (labels != null) {
            double[] values = flat(labels, predictions, "labels");
            for (int i = 0; i < predictions; i++) {
                if (values[i] != Math.rint(values[i])) {
                    throw new IllegalArgumentException("layer " + layerConf().getLayerName() + ": label " + values[i]
                            + " (prediction " + i + ") is not a class index");
                }
                out[i] = (int) values[i];
            }
        }
        if (maskArray != null) {
            double[] mask = flat(maskArray, predictions, "label mask");
            for (int i = 0; i < predictions; i++) {
                if (mask[i] == 0) {
                    out[i] = MiniBatch.IGNORE;
                }
            }
        }
        return out;
    }

    private double[] flat(INDArray a, int predictions, String what) {
        if (a.length() != predictions || a.size(0) != input.size(0)) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + ": " + what + " "
                    + Arrays.toString(a.shape()) + " do not fit the input " + Arrays.toString(input.shape()) + ": "
                    + (perRow ? "one class index per row, [rows, 1]" : "one index per token, [rows, T]"));
        }
        return a.dup('c').data().asDouble();
    }

    private INDArray logitsShape(INDArray probs, BatchContext c) {
        return perRow ? probs : probs.reshape('c', c.rows(), c.seqLen(), outputs);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray probs;
        BatchContext c;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            Pass pass = begin(training, false);
            c = pass.c();
            INDArray logits = head.forward(pass.hidden(), pass.batch(), null, c);
            probs = c.ws().rows("head.probs", logits.rows(), outputs);
            Nd4j.exec(new SoftMax(logits, probs, 1));
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, logitsShape(probs, c));
    }

    @Override
    public double computeScore(double fullNetRegScore, boolean training, LayerWorkspaceMgr workspaceMgr) {
        double loss = 0;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            Pass pass = begin(training, true);
            if (pass.count() > 0) {
                INDArray logits = head.forward(pass.hidden(), pass.batch(), pass.positions(), pass.c());
                loss = SoftmaxCrossEntropy.meanLoss(logits, pass.targets(), null);
            }
        }
        this.score = loss + fullNetRegScore;
        return score;
    }

    /** Each row's loss: the mean over its labelled predictions (0 with none), plus the regularisation term. */
    @Override
    public INDArray computeScoreForExamples(double fullNetRegScore, LayerWorkspaceMgr workspaceMgr) {
        double[] perRowLoss;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            Pass pass = begin(false, true);
            BatchContext c = pass.c();
            INDArray logits = head.forward(pass.hidden(), pass.batch(), null, c);
            int[] all = pass.batch().labels();
            int span = perRow ? 1 : c.seqLen();
            perRowLoss = new double[c.rows()];
            for (int r = 0; r < c.rows(); r++) {
                INDArray rowLogits = logits.get(NDArrayIndex.interval(r * span, (r + 1) * span), NDArrayIndex.all()).dup('c');
                perRowLoss[r] = SoftmaxCrossEntropy.meanLoss(rowLogits, Arrays.copyOfRange(all, r * span, (r + 1) * span),
                        null) + fullNetRegScore;
            }
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, Nd4j.createFromArray(perRowLoss).reshape(perRowLoss.length, 1)
                .castTo(dataType));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        BatchContext c;
        INDArray dHidden;
        try (MemoryWorkspace ignored = outsideWorkspaces()) {
            Pass pass = begin(true, true);
            c = pass.c();
            zeroGradients();
            dHidden = c.ws().array("head.dhidden", c.positions(), cfg.dModel());
            if (pass.count() == 0) {
                dHidden.assign(0);
            } else {
                INDArray logits = head.forward(pass.hidden(), pass.batch(), pass.positions(), c);
                INDArray dLogits = c.ws().rows("head.dlogits", logits.rows(), logits.columns());
                SoftmaxCrossEntropy.meanLoss(logits, pass.targets(), dLogits);
                dLogits.muli(c.rows());                       // DL4J's updater divides by the minibatch size
                head.backward(pass.hidden(), pass.batch(), pass.positions(), dLogits, dHidden, c);
            }
        }
        return new Pair<>(collectGradient(), toSequence(dHidden, c, workspaceMgr, ArrayType.ACTIVATION_GRAD));
    }

    @Override
    protected INDArray paddingMask() {
        return paddingMask;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        this.paddingMask = maskArray;
        return new Pair<>(perRow ? null : maskArray, perRow ? null : currentMaskState);
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        paddingMask = null;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public int numLabels() {
        return outputs;
    }

    @Override
    public int[] predict(INDArray examples) {
        INDArray probs = activate(examples, false, LayerWorkspaceMgr.noWorkspaces());
        return probs.reshape('c', probs.length() / outputs, outputs).argMax(1).toIntVector();
    }

    private UnsupportedOperationException notHere(String what) {
        return new UnsupportedOperationException(what + " is not available on a Sparkformer head alone: use the "
                + "ComputationGraph that holds it");
    }

    @Override
    public double f1Score(DataSet data) {
        throw notHere("f1Score");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw notHere("f1Score");
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw notHere("predict(DataSet)");
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw notHere("fit");
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw notHere("fit");
    }

    @Override
    public void fit(DataSet data) {
        throw notHere("fit");
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw notHere("fit");
    }
}
