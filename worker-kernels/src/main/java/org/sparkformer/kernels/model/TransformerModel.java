package org.sparkformer.kernels.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.layers.AttentionBias;
import org.sparkformer.kernels.layers.BatchContext;
import org.sparkformer.kernels.layers.Dropout;
import org.sparkformer.kernels.layers.Embeddings;
import org.sparkformer.kernels.layers.Head;
import org.sparkformer.kernels.layers.LanguageModelHead;
import org.sparkformer.kernels.layers.LayerNorm;
import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.layers.ParameterSet;
import org.sparkformer.kernels.layers.ReplacedTokenHead;
import org.sparkformer.kernels.layers.SequenceClassificationHead;
import org.sparkformer.kernels.layers.SoftmaxCrossEntropy;
import org.sparkformer.kernels.layers.TokenClassificationHead;
import org.sparkformer.kernels.layers.TransformerBlock;
import org.sparkformer.kernels.layers.Workspace;
import org.sparkformer.kernels.layers.WorkspaceCache;
import org.sparkformer.kernels.random.SplitMix64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A Transformer encoder with its task head: embeddings -> dropout -> blocks -> final LayerNorm (pre-LN only) ->
 * head. All parameters live in one flat buffer and all gradients in another ({@link #flatParameters()},
 * {@link #flatGradients()}); {@link #namedParameters()} gives named views into it. Parameters start as
 * Normal(0, initStd) for weight matrices and embeddings, 0 for biases and LayerNorm beta, 1 for LayerNorm gamma,
 * each drawn from a stream derived from (config seed, parameter name).
 *
 * <p>A masked-LM model with a {@code discriminatorWeight} also learns replaced-token detection (ELECTRA, with one
 * encoder as generator and discriminator): after the masked-LM pass, every masked position gets a token drawn from
 * the model's own prediction there, and a second pass over the corrupted text trains a two-class head at every
 * real position to tell the tokens the text had from the replaced ones. The loss is
 * {@code mlm + discriminatorWeight * detection}: every token teaches, not only the masked 15%.
 *
 * <p>Not thread-safe: one model per thread. Activation buffers are kept for the two most recent batch shapes.
 */
public final class TransformerModel {

    private static final int CACHED_SHAPES = 2;

    private final TransformerConfig cfg;
    private final DataType dataType;
    private final ParameterSet params;
    private final WorkspaceCache workspaces;
    private final Embeddings embeddings;
    private final Dropout embeddingDropout;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Head head;
    private final ReplacedTokenHead detector;
    private boolean frozenEmbeddings;
    private int frozenBlocks;
    private Inference inference;

    /** A float32 model initialised from {@code cfg.seed()}. */
    public TransformerModel(TransformerConfig cfg) {
        this(cfg, DataType.FLOAT);
    }

    /** A model in FLOAT (training) or DOUBLE (gradient checks) initialised from {@code cfg.seed()}. */
    public TransformerModel(TransformerConfig cfg, DataType dataType) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("data type must be FLOAT or DOUBLE, got " + dataType);
        }
        this.cfg = cfg;
        this.dataType = dataType;
        this.params = new ParameterSet(dataType);
        this.workspaces = new WorkspaceCache(dataType, CACHED_SHAPES);
        this.embeddings = new Embeddings(params, cfg);
        this.embeddingDropout = new Dropout(cfg.dropout());
        for (int i = 0; i < cfg.layers(); i++) {
            blocks.add(new TransformerBlock(params, "blocks." + i, cfg, i));
        }
        this.finalNorm = cfg.norm() == NormPlacement.PRE ? new LayerNorm(params, "final_ln", cfg.dModel()) : null;
        this.head = switch (cfg.task()) {
            case MASKED_LM, CAUSAL_LM -> new LanguageModelHead(params, cfg, embeddings.tokenWeight());
            case SEQUENCE_CLASSIFICATION -> new SequenceClassificationHead(params, cfg);
            case TOKEN_CLASSIFICATION -> new TokenClassificationHead(params, cfg);
        };
        this.detector = cfg.detectsReplacedTokens() ? new ReplacedTokenHead(params, cfg.dModel()) : null;
        params.allocate(cfg.seed(), cfg.initStd());
    }

    /**
     * A model for {@code fineTuneCfg} whose encoder (embeddings, blocks, final LayerNorm) is copied by name from
     * {@code encoderSource}; the head is fresh from {@code fineTuneCfg.seed()}.
     */
    public static TransformerModel fromPretrained(TransformerModel encoderSource, TransformerConfig fineTuneCfg) {
        TransformerModel target = new TransformerModel(fineTuneCfg, encoderSource.dataType);
        for (Parameter p : target.params.all()) {
            if (p.name().startsWith("head.")) {
                continue;
            }
            if (!encoderSource.params.contains(p.name())) {
                throw new IllegalArgumentException("pretrained model has no parameter " + p.name());
            }
            Parameter source = encoderSource.params.get(p.name());
            if (!Arrays.equals(source.shape(), p.shape())) {
                throw new IllegalArgumentException("parameter " + p.name() + " has shape " + Arrays.toString(source.shape())
                        + " in the pretrained model but " + Arrays.toString(p.shape()) + " in the fine-tuning config");
            }
            p.value().assign(source.value());
        }
        return target;
    }

    public TransformerConfig config() {
        return cfg;
    }

    public DataType dataType() {
        return dataType;
    }

    public long numParameters() {
        return params.size();
    }

    /** The live flat parameter buffer {@code [1, numParameters]}. */
    public INDArray flatParameters() {
        return params.values();
    }

    /** The live flat gradient buffer {@code [1, numParameters]}, filled by {@link #lossAndGradients}. */
    public INDArray flatGradients() {
        return params.grads();
    }

    /** The parameters (name, shape, place in the flat buffers), in buffer order. */
    public List<Parameter> parameters() {
        return params.all();
    }

    /** Views into the flat buffer by name, in buffer order. */
    public LinkedHashMap<String, INDArray> namedParameters() {
        LinkedHashMap<String, INDArray> named = new LinkedHashMap<>();
        for (Parameter p : params.all()) {
            named.put(p.name(), p.value());
        }
        return named;
    }

    /** Views into the flat gradient buffer by name, in buffer order. */
    public LinkedHashMap<String, INDArray> namedGradients() {
        LinkedHashMap<String, INDArray> named = new LinkedHashMap<>();
        for (Parameter p : params.all()) {
            named.put(p.name(), p.grad());
        }
        return named;
    }

    /** {@code [1, numParameters]}: 1 where weight decay applies (weights and embeddings that are not frozen). */
    public INDArray weightDecayMask() {
        INDArray mask = params.decayMask();
        for (Parameter p : params.all()) {
            if (isFrozen(p.name())) {
                mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(p.offset(), p.offset() + p.length())).assign(0);
            }
        }
        return mask;
    }

    public float[] parametersAsFloats() {
        return params.values().castTo(DataType.FLOAT).toFloatVector();
    }

    /** Replaces all parameters; exact for FLOAT models. */
    public void loadParameters(float[] flat) {
        if (flat.length != params.size()) {
            throw new IllegalArgumentException("model has " + params.size() + " parameters, got " + flat.length);
        }
        params.values().assign(Nd4j.createFromArray(flat).reshape(1, flat.length).castTo(dataType));
    }

    /**
     * Freezes the embeddings (when {@code embeddingsFrozen}; with tied embeddings this includes the LM decoder) and
     * blocks {@code 0 .. lowerBlocks-1}: their gradients are zeroed after every backward pass and they get no
     * weight decay. Set before creating an optimizer or trainer.
     */
    public void setFrozen(boolean embeddingsFrozen, int lowerBlocks) {
        if (lowerBlocks < 0 || lowerBlocks > cfg.layers()) {
            throw new IllegalArgumentException("lowerBlocks " + lowerBlocks + " must be in [0, " + cfg.layers() + "]");
        }
        this.frozenEmbeddings = embeddingsFrozen;
        this.frozenBlocks = lowerBlocks;
    }

    private boolean isFrozen(String name) {
        if (name.startsWith("embeddings.")) {
            return frozenEmbeddings;
        }
        if (name.startsWith("blocks.")) {
            int index = Integer.parseInt(name.substring("blocks.".length(), name.indexOf('.', "blocks.".length())));
            return index < frozenBlocks;
        }
        return false;
    }

    /** Stream of the replacement draws of replaced-token detection, derived from a batch's dropout seed. */
    private static final long REPLACEMENT_STREAM = 0x52_54_44_01L;
    /** Stream of the dropout masks of the discriminator pass, derived from a batch's dropout seed. */
    private static final long DISCRIMINATOR_STREAM = 0x52_54_44_02L;

    /**
     * Zeroes and fills {@link #flatGradients()} for one batch with dropout (masks derived from {@code dropoutSeed});
     * returns the mean cross-entropy over labelled positions (0, with zero gradients, when none is labelled), plus
     * {@code discriminatorWeight} times the detection loss for a model that detects replaced tokens.
     */
    public double lossAndGradients(MiniBatch batch, long dropoutSeed) {
        params.grads().assign(0);
        double loss = objective(batch, true, dropoutSeed, true);
        for (Parameter p : params.all()) {
            if (isFrozen(p.name())) {
                p.grad().assign(0);
            }
        }
        return loss;
    }

    /**
     * Mean cross-entropy over labelled positions in eval mode (no dropout); no gradients. For a model that detects
     * replaced tokens, the masked-LM loss alone.
     */
    public double loss(MiniBatch batch) {
        Targets targets = targetsOf(batch);
        if (targets.count() == 0) {
            return 0.0;
        }
        BatchContext c = context(batch, false, 0L);
        INDArray logits = head.forward(encodeInto(batch, c), batch, targets.positions(), c);
        return SoftmaxCrossEntropy.meanLoss(logits, targets.labels(), null);
    }

    /** The loss {@link #lossAndGradients} returns for the same arguments (dropout on), without the backward pass. */
    public double trainingLoss(MiniBatch batch, long dropoutSeed) {
        return objective(batch, true, dropoutSeed, false);
    }

    /** The training objective of one batch; with {@code gradients}, adds its gradients to the zeroed buffer. */
    private double objective(MiniBatch batch, boolean training, long dropoutSeed, boolean gradients) {
        Targets targets = targetsOf(batch);
        if (targets.count() == 0) {
            return 0.0;
        }
        BatchContext c = context(batch, training, dropoutSeed);
        INDArray hidden = encodeInto(batch, c);
        INDArray logits = head.forward(hidden, batch, targets.positions(), c);
        INDArray dLogits = gradients ? c.ws().rows("head.dlogits", logits.rows(), logits.columns()) : null;
        double loss = SoftmaxCrossEntropy.meanLoss(logits, targets.labels(), dLogits);
        TokenReplacement.Corrupted corrupted = detector == null ? null : TokenReplacement.draw(batch,
                targets.positions(), targets.labels(), logits, SplitMix64.derive(dropoutSeed, REPLACEMENT_STREAM));
        if (gradients) {
            INDArray grad = c.ws().array("stream.gradA", c.positions(), cfg.dModel());
            head.backward(hidden, batch, targets.positions(), dLogits, grad, c);
            encoderBackward(batch, grad, c);
        }
        if (corrupted != null) {
            loss += cfg.discriminatorWeight() * detectionLoss(corrupted, training,
                    SplitMix64.derive(dropoutSeed, DISCRIMINATOR_STREAM), gradients);
        }
        return loss;
    }

    /** The discriminator pass over the corrupted batch: its mean loss, and with {@code gradients} its weighted gradients. */
    private double detectionLoss(TokenReplacement.Corrupted corrupted, boolean training, long dropoutSeed,
                                 boolean gradients) {
        MiniBatch batch = corrupted.batch();
        BatchContext c = context(batch, training, dropoutSeed);
        INDArray hidden = encodeInto(batch, c);
        INDArray logits = detector.forward(hidden, c.ws());
        INDArray dLogits = gradients ? c.ws().rows("rtd.dlogits", logits.rows(), logits.columns()) : null;
        double loss = SoftmaxCrossEntropy.meanLoss(logits, corrupted.labels(), dLogits);
        if (gradients) {
            dLogits.muli(cfg.discriminatorWeight());
            INDArray grad = c.ws().array("stream.gradA", c.positions(), cfg.dModel());
            detector.backward(hidden, dLogits, grad);
            encoderBackward(batch, grad, c);
        }
        return loss;
    }

    /**
     * Eval-mode logits: sequence classification {@code [rows, numLabels]}; other tasks {@code [rows*seqLen, outputs]},
     * row-major over rows then positions. A copy.
     */
    public INDArray logits(MiniBatch batch) {
        BatchContext c = context(batch, false, 0L);
        INDArray hidden = encodeInto(batch, c);
        return head.forward(hidden, batch, null, c).dup();
    }

    /**
     * {@link #logits(MiniBatch)} written into the caller's {@code out} (contiguous c-order, of the same shape and data
     * type), so a loop over batches reuses one output buffer instead of allocating a copy per batch; the masked-LM
     * head writes its logits there directly. Returns {@code out}.
     */
    public INDArray logits(MiniBatch batch, INDArray out) {
        long predictions = cfg.task() == Task.SEQUENCE_CLASSIFICATION ? batch.rows() : (long) batch.rows() * batch.seqLen();
        long outputs = cfg.task() == Task.MASKED_LM || cfg.task() == Task.CAUSAL_LM ? cfg.vocabSize() : cfg.numLabels();
        if (out.rank() != 2 || out.rows() != predictions || out.columns() != outputs || out.dataType() != dataType
                || out.ordering() != 'c' || out.elementWiseStride() != 1) {
            throw new IllegalArgumentException("logits buffer is " + out.dataType() + " " + Arrays.toString(out.shape())
                    + " (" + out.ordering() + "-order), the batch needs c-order " + dataType + " [" + predictions + ", "
                    + outputs + "]");
        }
        BatchContext c = context(batch, false, 0L);
        head.forwardInto(encodeInto(batch, c), batch, c, out);
        return out;
    }

    /**
     * The inference path over this model's parameters ({@link Inference}): the eval-mode function of {@link #logits}
     * and {@link #encode}, computed for throughput. One per model, made on first use; it sees every later change of
     * the parameters.
     */
    public Inference inference() {
        if (inference == null) {
            inference = new Inference(cfg, dataType, embeddings, blocks, finalNorm, head);
        }
        return inference;
    }

    /** Row-wise softmax of {@link #logits(MiniBatch)}. */
    public INDArray probabilities(MiniBatch batch) {
        INDArray logits = logits(batch);
        INDArray probs = logits.ulike();
        Nd4j.exec(new SoftMax(logits, probs, 1));
        return probs;
    }

    /** Eval-mode final hidden states {@code [rows*seqLen, dModel]}. A copy. */
    public INDArray encode(MiniBatch batch) {
        BatchContext c = context(batch, false, 0L);
        return encodeInto(batch, c).dup();
    }

    private BatchContext context(MiniBatch batch, boolean training, long dropoutSeed) {
        if (batch.seqLen() > cfg.maxLength()) {
            throw new IllegalArgumentException("batch seqLen " + batch.seqLen() + " exceeds maxLength " + cfg.maxLength());
        }
        Workspace ws = workspaces.forShape(batch.rows(), batch.seqLen());
        INDArray bias = AttentionBias.build(batch, cfg.attention(), ws);
        int[] mask = batch.attentionMask();
        boolean padded = java.util.Arrays.stream(mask).anyMatch(m -> m == 0);
        return new BatchContext(batch.rows(), batch.seqLen(), ws, training, dropoutSeed, bias, padded ? mask : null);
    }

    /** Runs embeddings and blocks; returns the final hidden states (a workspace buffer). */
    private INDArray encodeInto(MiniBatch batch, BatchContext c) {
        int n = c.positions();
        Workspace ws = c.ws();
        INDArray x = ws.array("embeddings.out", n, cfg.dModel());
        embeddings.forward(batch.tokenIds(), x, c);
        if (c.training() && embeddingDropout.active()) {
            INDArray mask = ws.array("embeddings.mask", n, cfg.dModel());
            embeddingDropout.apply(x, mask, x, c.seedFor("embeddings", 0));
        }
        for (int i = 0; i < blocks.size(); i++) {
            INDArray out = ws.array("blocks." + i + ".out", n, cfg.dModel());
            blocks.get(i).forward(x, out, c);
            x = out;
        }
        if (finalNorm != null) {
            INDArray out = ws.array("final_ln.out", n, cfg.dModel());
            finalNorm.forward(x, out, ws, c.training());
            x = out;
        }
        return x;
    }

    /**
     * Back-propagates {@code grad} (the gradient at the final hidden states, in the workspace's "stream.gradA")
     * through the final LayerNorm, the blocks and the embeddings, adding to the parameter gradients.
     */
    private void encoderBackward(MiniBatch batch, INDArray grad, BatchContext c) {
        int n = c.positions();
        Workspace ws = c.ws();
        INDArray spare = ws.array("stream.gradB", n, cfg.dModel());
        if (finalNorm != null) {
            finalNorm.backward(grad, spare, false, ws);
            INDArray t = grad;
            grad = spare;
            spare = t;
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            INDArray input = i == 0 ? ws.array("embeddings.out", n, cfg.dModel()) : ws.array("blocks." + (i - 1) + ".out", n, cfg.dModel());
            blocks.get(i).backward(input, grad, spare, c);
            INDArray t = grad;
            grad = spare;
            spare = t;
        }
        if (c.training() && embeddingDropout.active()) {
            Dropout.backward(grad, ws.array("embeddings.mask", n, cfg.dModel()), grad);
        }
        embeddings.backward(batch.tokenIds(), grad, c);
    }

    /** Which hidden rows the head predicts for the loss and their labels. */
    private record Targets(int[] positions, int[] labels, int count) {
    }

    private Targets targetsOf(MiniBatch batch) {
        int[] labels = batch.labels();
        int cells = batch.rows() * batch.seqLen();
        if (cfg.task() == Task.SEQUENCE_CLASSIFICATION) {
            if (labels.length != batch.rows()) {
                throw new IllegalArgumentException("task SEQUENCE_CLASSIFICATION needs one label per row (" + batch.rows()
                        + "), got " + labels.length);
            }
            return new Targets(null, labels, SoftmaxCrossEntropy.counted(labels));
        }
        if (labels.length != cells) {
            throw new IllegalArgumentException("task " + cfg.task() + " needs one label per token (rows*seqLen = " + cells
                    + "), got " + labels.length);
        }
        int count = SoftmaxCrossEntropy.counted(labels);
        int[] positions = new int[count];
        int[] selected = new int[count];
        int at = 0;
        for (int i = 0; i < cells; i++) {
            if (labels[i] != MiniBatch.IGNORE) {
                positions[at] = i;
                selected[at++] = labels[i];
            }
        }
        return new Targets(positions, selected, count);
    }
}
