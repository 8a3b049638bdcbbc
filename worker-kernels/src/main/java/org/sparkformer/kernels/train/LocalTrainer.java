package org.sparkformer.kernels.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.random.SplitMix64;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.GradientClipping;
import org.sparkformer.kernels.optim.LearningRateSchedule;
import org.sparkformer.kernels.optim.Optimizer;
import org.sparkformer.kernels.optim.OptimizerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Trains one model on one stream of minibatches: each optimizer step combines the gradients of
 * {@code accumulationSteps} microbatches, weighted by their labelled positions (so accumulating microbatches equals
 * one step on their concatenation), clips the global norm, and applies the scheduled learning rate. Dropout
 * masks of microbatch m in step s derive from (seed, s, m).
 */
public final class LocalTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

    private final TransformerModel model;
    private final OptimizerConfig config;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final INDArray accumulated;
    private long step;
    /** Optimizer state handed to {@link #restore(float[], Supplier, long)}, loaded before the next update. */
    private Supplier<float[]> pendingState;

    /** Freeze model parameters (if wanted) before this: the optimizer's weight-decay mask is fixed here. */
    public LocalTrainer(TransformerModel model, OptimizerConfig config) {
        this.model = model;
        this.config = config;
        this.optimizer = Optimizer.create(config, model.weightDecayMask());
        this.schedule = new LearningRateSchedule(config);
        this.accumulated = config.accumulationSteps() > 1 ? model.flatGradients().ulike() : null;
    }

    public TransformerModel model() {
        return model;
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    /**
     * Takes up to {@code maxSteps} optimizer steps, stopping early when {@code batches} ends (a partial accumulation
     * at the end still makes a step).
     *
     * @throws ArithmeticException naming the step when the loss or the gradient norm is NaN or infinite
     */
    public TrainStats train(Iterator<MiniBatch> batches, int maxSteps, long seed) {
        long start = System.nanoTime();
        int steps = 0;
        long examples = 0;
        long tokens = 0;
        double lossSum = 0;
        long lossCount = 0;
        INDArray grads = model.flatGradients();
        while (steps < maxSteps && batches.hasNext()) {
            long stepNumber = step + 1;
            long stepLabels = 0;
            if (accumulated != null) {
                accumulated.assign(0);
            }
            for (int micro = 0; micro < config.accumulationSteps() && batches.hasNext(); micro++) {
                MiniBatch batch = batches.next();
                double loss = model.lossAndGradients(batch, SplitMix64.derive(seed, stepNumber, micro));
                if (!Double.isFinite(loss)) {
                    throw new ArithmeticException("loss is " + loss + " at step " + stepNumber + " (microbatch " + micro + ")");
                }
                int labelled = batch.labelledPositions();
                if (accumulated != null) {
                    Nd4j.getBlasWrapper().level1().axpy(grads.length(), labelled, grads, accumulated);
                }
                lossSum += loss * labelled;
                lossCount += labelled;
                stepLabels += labelled;
                examples += batch.rows();
                tokens += batch.realTokens();
            }
            if (accumulated != null) {
                grads.assign(accumulated).muli(stepLabels == 0 ? 0.0 : 1.0 / stepLabels);
            }
            double norm = grads.norm2Number().doubleValue();
            if (!Double.isFinite(norm)) {
                throw new ArithmeticException("gradient norm is " + norm + " at step " + stepNumber);
            }
            loadPendingState();
            optimizer.step(model.flatParameters(), grads, GradientClipping.scaleFor(norm, config.clipNorm()),
                    schedule.at(stepNumber), stepNumber);          // clipped as the update reads the gradients
            step = stepNumber;
            steps++;
        }
        TrainStats stats = new TrainStats(steps, examples, tokens, lossSum, lossCount, System.nanoTime() - start);
        LOG.debug("trained {} steps to step {}: mean loss {}, {} tokens/s", steps, step, stats.meanLoss(), stats.tokensPerSecond());
        return stats;
    }

    /** A copy of parameters, optimizer state and step counter. */
    public TrainerState state() {
        loadPendingState();
        return new TrainerState(model.parametersAsFloats(), toFloats(optimizer.state()), step);
    }

    /** Restores a state taken from a trainer of the same model shape and optimizer kind. */
    public void restore(TrainerState s) {
        restore(s.parameters(), s::optimizerState, s.step());
        loadPendingState();
    }

    /**
     * Restores parameters and step counter now, and the optimizer state just before the next optimizer update (or
     * the next {@link #state()}): a state still being fetched by another thread arrives while the first forward and
     * backward pass run.
     */
    public void restore(float[] parameters, Supplier<float[]> optimizerState, long step) {
        model.loadParameters(parameters);
        this.pendingState = optimizerState;
        this.step = step;
    }

    /** Number of values in the optimizer state (0 for SGD). */
    public long optimizerStateSize() {
        return optimizer.state().length();
    }

    private void loadPendingState() {
        if (pendingState == null) {
            return;
        }
        float[] values = pendingState.get();
        pendingState = null;
        INDArray state = optimizer.state();
        if (values.length != state.length()) {
            throw new IllegalArgumentException("optimizer state has " + values.length + " values, this "
                    + config.kind() + " optimizer needs " + state.length());
        }
        if (state.length() > 0) {
            optimizer.loadState(Nd4j.createFromArray(values).reshape(1, state.length()).castTo(state.dataType()));
        }
    }

    private static float[] toFloats(INDArray a) {
        return a.length() == 0 ? new float[0] : a.castTo(DataType.FLOAT).reshape(a.length()).toFloatVector();
    }
}
