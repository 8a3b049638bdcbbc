package org.sparkformer.bench;

import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.model.InferenceTiming;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.sparkformer.kernels.train.LocalTrainer;
import org.sparkformer.kernels.train.TrainStats;

import java.util.List;

/**
 * Single-worker throughput of the worker kernels in this JVM: training steps through {@link LocalTrainer} (AdamW,
 * masked-LM, dropout on) and inference on the kernels' inference path for masked-LM, a sequence classifier and a
 * tagger of the same encoder, each on one synthetic batch of the preset's shape.
 */
public final class KernelProbe {

    private final BenchPreset preset;
    private final BenchPlan plan;
    private final MiniBatch batch;
    private final FlopCount flops;

    public KernelProbe(BenchPreset preset, BenchPlan plan) {
        this.preset = preset;
        this.plan = plan;
        this.batch = SyntheticData.maskedLmBatch(preset.batch(), preset.seqLen(), preset.model().vocabSize(), 11L);
        this.flops = new FlopCount(preset.model(), preset.seqLen());
    }

    /**
     * Training figures.
     *
     * @param stepSeconds     wall time of a whole optimizer step ({@code LocalTrainer.train} for one step)
     * @param forwardSeconds  forward pass with loss (dropout on), in separate breakdown steps
     * @param backwardSeconds forward + backward minus forward, likewise
     * @param optimizerSeconds a whole step minus forward + backward: gradient clipping and the AdamW update
     * @param tokensPerStep   tokens in a step
     * @param flopsPerStep    {@link FlopCount#trainingStep} of the batch
     */
    public record Training(Samples stepSeconds, Samples forwardSeconds, Samples backwardSeconds, Samples optimizerSeconds,
                           int tokensPerStep, int labelledPerStep, double flopsPerStep, double nominalFlopsPerToken) {

        public double tokensPerSecond() {
            return tokensPerStep / stepSeconds.median();
        }

        public double flopsPerSecond() {
            return flopsPerStep / stepSeconds.median();
        }
    }

    /**
     * Inference figures, every one on the model's inference path ({@code TransformerModel.inference()}).
     *
     * @param logitsSeconds  masked-LM logits at every position (into one reused output buffer) per batch
     * @param encoderSeconds the encoder alone (final hidden states) per batch
     * @param classify       a sequence classifier of the same encoder, one prediction per sequence
     * @param tag            a tagger of the same encoder, a prediction at every position
     */
    public record Inference(Samples logitsSeconds, Samples encoderSeconds, int rows, int tokensPerBatch,
                            double flopsPerToken, TaskInference classify, TaskInference tag) {

        public double tokensPerSecond() {
            return tokensPerBatch / logitsSeconds.median();
        }

        public double sequencesPerSecond() {
            return rows / logitsSeconds.median();
        }

        public double flopsPerSecond() {
            return flopsPerToken * tokensPerSecond();
        }

        public double encoderTokensPerSecond() {
            return tokensPerBatch / encoderSeconds.median();
        }
    }

    /**
     * One classification task's inference over batches of the preset's shape.
     *
     * @param labels        the classifier's labels
     * @param batchSeconds  logits of one batch (into one reused output buffer)
     * @param flopsPerToken {@link FlopCount#encoderPerToken} plus the classifier's share per token
     */
    public record TaskInference(int labels, Samples batchSeconds, int tokensPerBatch, double flopsPerToken) {

        public double tokensPerSecond() {
            return tokensPerBatch / batchSeconds.median();
        }

        public double flopsPerSecond() {
            return flopsPerToken * tokensPerSecond();
        }
    }

    /** Labels of the sequence classifier measured: the 45 WordNet lexicographer classes of the example. */
    static final int CLASSIFY_LABELS = 45;
    /** Labels of the tagger measured: the 17 universal parts of speech. */
    static final int TAG_LABELS = 17;

    public Training training() {
        TransformerModel model = new TransformerModel(preset.model());
        LocalTrainer trainer = new LocalTrainer(model, OptimizerConfig.defaults());
        for (int i = 0; i < plan.warmupSteps(); i++) {
            trainer.train(List.of(batch).iterator(), 1, i);
        }
        double[] step = new double[plan.timedSteps()];
        for (int i = 0; i < step.length; i++) {
            TrainStats stats = trainer.train(List.of(batch).iterator(), 1, 1000L + i);
            if (stats.steps() != 1) {
                throw new IllegalStateException("expected one training step, the trainer took " + stats.steps());
            }
            step[i] = stats.nanos() / 1e9;
        }
        int n = plan.breakdownSteps();
        double[] forward = new double[n];
        double[] backward = new double[n];
        double[] optimizer = new double[n];
        for (int i = 0; i < n; i++) {
            long seed = 2000L + i;
            long t0 = System.nanoTime();
            model.trainingLoss(batch, seed);
            long t1 = System.nanoTime();
            model.lossAndGradients(batch, seed);
            long t2 = System.nanoTime();
            trainer.train(List.of(batch).iterator(), 1, seed);
            long t3 = System.nanoTime();
            forward[i] = (t1 - t0) / 1e9;
            backward[i] = Math.max(0, (t2 - t1) - (t1 - t0)) / 1e9;
            optimizer[i] = Math.max(0, (t3 - t2) - (t2 - t1)) / 1e9;
        }
        int labelled = batch.labelledPositions();
        int tokens = batch.realTokens();
        return new Training(Samples.of(step), Samples.of(forward), Samples.of(backward), Samples.of(optimizer), tokens,
                labelled, flops.trainingStep(tokens, labelled), flops.nominalTrainingPerToken());
    }

    public Inference inference() {
        TransformerModel model = new TransformerModel(preset.model());
        InferenceTiming timing = new InferenceTiming(model, List.of(batch));   // the compress report times the same way
        TransformerModel classifier = new TransformerModel(preset.model().withTask(Task.SEQUENCE_CLASSIFICATION, CLASSIFY_LABELS));
        TransformerModel tagger = new TransformerModel(preset.model().withTask(Task.TOKEN_CLASSIFICATION, TAG_LABELS));
        MiniBatch sequences = SyntheticData.classificationBatch(preset.batch(), preset.seqLen(), preset.model().vocabSize(),
                CLASSIFY_LABELS, 12L);
        MiniBatch sentences = SyntheticData.taggingBatch(preset.batch(), preset.seqLen(), preset.model().vocabSize(),
                TAG_LABELS, 13L);
        InferenceTiming classifying = new InferenceTiming(classifier, List.of(sequences));
        InferenceTiming tagging = new InferenceTiming(tagger, List.of(sentences));
        for (int i = 0; i < plan.warmupSteps(); i++) {
            timing.passSeconds();
            model.inference().hidden(batch);
            classifying.passSeconds();
            tagging.passSeconds();
        }
        int n = plan.timedSteps();
        double[] logits = new double[n];
        double[] encoder = new double[n];
        double[] classify = new double[n];
        double[] tag = new double[n];
        for (int i = 0; i < n; i++) {                 // the four figures in turn, so a busy spell touches each alike
            logits[i] = timing.passSeconds();
            long t1 = System.nanoTime();
            model.inference().hidden(batch);
            long t2 = System.nanoTime();
            encoder[i] = (t2 - t1) / 1e9;
            classify[i] = classifying.passSeconds();
            tag[i] = tagging.passSeconds();
        }
        double perSequence = flops.classifierPerPrediction(CLASSIFY_LABELS) / preset.seqLen();
        TaskInference classified = new TaskInference(CLASSIFY_LABELS, Samples.of(classify), sequences.realTokens(),
                flops.encoderPerToken() + perSequence);
        TaskInference tagged = new TaskInference(TAG_LABELS, Samples.of(tag), sentences.realTokens(),
                flops.encoderPerToken() + flops.classifierPerPrediction(TAG_LABELS));
        return new Inference(Samples.of(logits), Samples.of(encoder), batch.rows(), batch.realTokens(),
                flops.inferencePerToken(), classified, tagged);
    }
}
