package org.sparkformer.kernels.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Activation;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Pooling;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;
import org.sparkformer.kernels.config.WordPooling;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.optim.Decay;
import org.sparkformer.kernels.optim.OptimizerConfig;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model learns small synthetic languages with structure far beyond chance. */
class LearningTest {

    private static final int VOCAB = 24;
    private static final int MASK_ID = 1;
    private static final int SEQ = 12;
    private static final int ROWS = 16;
    private static final OptimizerConfig OPT = OptimizerConfig.defaults().withLearningRate(3e-3).withWeightDecay(0.0)
            .withSchedule(20, 0, Decay.CONSTANT);

    /**
     * Sinusoidal positions, with which the thresholds below were set: the fixed table takes no steps to learn. No
     * local convolution unless a test asks for one: what these languages test is what attention learns.
     */
    private static TransformerConfig config(Task task, int labels) {
        return TransformerConfig.tiny(VOCAB).toBuilder().maxLength(SEQ).dropout(0.0).attentionDropout(0.0)
                .positional(PositionalEncoding.SINUSOIDAL).convolution(0).seed(3).build().withTask(task, labels);
    }

    /** Sequences of a chain language: token(i+1) = 2 + (5 * token(i) + 3) mod (VOCAB - 2), random start; random lengths. */
    private static int[][] chain(Random random, int[] mask) {
        int[] tokens = new int[ROWS * SEQ];
        for (int r = 0; r < ROWS; r++) {
            int length = SEQ / 2 + random.nextInt(SEQ / 2 + 1);
            int t = 2 + random.nextInt(VOCAB - 2);
            for (int i = 0; i < SEQ; i++) {
                if (i < length) {
                    tokens[r * SEQ + i] = t;
                    mask[r * SEQ + i] = 1;
                    t = 2 + (5 * t + 3) % (VOCAB - 2);
                }
            }
        }
        return new int[][] {tokens};
    }

    private static Iterator<MiniBatch> stream(long seed, Function<Random, MiniBatch> make) {
        Random random = new Random(seed);
        return Stream.generate(() -> make.apply(random)).iterator();
    }

    private static MiniBatch maskedLmBatch(Random random) {
        int[] mask = new int[ROWS * SEQ];
        int[] tokens = chain(random, mask)[0];
        int[] labels = new int[tokens.length];
        Arrays.fill(labels, MiniBatch.IGNORE);
        for (int i = 0; i < tokens.length; i++) {
            if (mask[i] == 1 && random.nextDouble() < 0.15) {
                labels[i] = tokens[i];
                tokens[i] = MASK_ID;
            }
        }
        return new MiniBatch(ROWS, SEQ, tokens, mask, labels);
    }

    /** The width-scaled default initialisation gets a d32 model off the unigram plateau within a few hundred steps. */
    @Test
    void maskedLmLossFallsFarBelowChance() {
        TransformerModel model = new TransformerModel(config(Task.MASKED_LM, 0));
        LocalTrainer trainer = new LocalTrainer(model, OPT);
        trainer.train(stream(1L, LearningTest::maskedLmBatch), 400, 1L);
        Iterator<MiniBatch> held = stream(99L, LearningTest::maskedLmBatch);
        double loss = 0;
        for (int i = 0; i < 8; i++) {
            loss += trainer.model().loss(held.next()) / 8;
        }
        double chance = Math.log(VOCAB);
        assertTrue(loss < 0.5 * chance, "held-out masked-LM loss " + loss + " vs ln(vocab) " + chance);
    }

    /**
     * Replaced-token detection beside masked-LM: the combined objective falls, the masked-LM half still learns the
     * language, and the encoder fine-tunes into a tagger.
     */
    @Test
    void electraPretrainingLowersItsObjectiveAndItsEncoderFineTunes() {
        double weight = 5.0;
        TransformerModel model = new TransformerModel(config(Task.MASKED_LM, 0).withDiscriminatorWeight(weight));
        Iterator<MiniBatch> held = stream(99L, LearningTest::maskedLmBatch);
        MiniBatch probe = held.next();
        double before = model.trainingLoss(probe, 7L);
        LocalTrainer trainer = new LocalTrainer(model, OPT);
        trainer.train(stream(1L, LearningTest::maskedLmBatch), 400, 1L);
        double after = trainer.model().trainingLoss(probe, 7L);
        double maskedLm = trainer.model().loss(probe);
        assertTrue(after < 0.5 * before, "objective " + before + " -> " + after);
        assertTrue(maskedLm < 0.5 * Math.log(VOCAB), "masked-LM loss " + maskedLm + " vs ln(vocab) " + Math.log(VOCAB));
        double detection = (after - maskedLm) / weight;
        assertTrue(detection >= 0 && detection < Math.log(2), "detection loss " + detection);

        TransformerConfig taggerConfig = trainer.model().config().withTask(Task.TOKEN_CLASSIFICATION, 2);
        LocalTrainer tagger = new LocalTrainer(TransformerModel.fromPretrained(trainer.model(), taggerConfig), OPT);
        tagger.train(stream(2L, LearningTest::risingTokens), 400, 2L);
        double accuracy = accuracy(tagger.model(), stream(98L, LearningTest::risingTokens), 8);
        assertTrue(accuracy >= 0.95, "token accuracy from the electra encoder " + accuracy);
    }

    /** Label 1 where a token is larger than the one before it (context needed), 0 otherwise. */
    private static MiniBatch risingTokens(Random random) {
        return taggedRandomTokens(random, (tokens, at, i) -> i > 0 && tokens[at] > tokens[at - 1] ? 1 : 0);
    }

    /** The tag of position i (at in the flat batch) from the tokens drawn so far. */
    @FunctionalInterface
    private interface Tagger {
        int tag(int[] tokens, int at, int i);
    }

    /** Rows of random lengths (SEQ/2 .. SEQ) of random tokens, every real token tagged by {@code tagger}. */
    private static MiniBatch taggedRandomTokens(Random random, Tagger tagger) {
        int[] mask = new int[ROWS * SEQ];
        int[] tokens = new int[ROWS * SEQ];
        int[] labels = new int[ROWS * SEQ];
        Arrays.fill(labels, MiniBatch.IGNORE);
        for (int r = 0; r < ROWS; r++) {
            int length = SEQ / 2 + random.nextInt(SEQ / 2 + 1);
            for (int i = 0; i < length; i++) {
                int at = r * SEQ + i;
                tokens[at] = 2 + random.nextInt(VOCAB - 2);
                mask[at] = 1;
                labels[at] = tagger.tag(tokens, at, i);
            }
        }
        return new MiniBatch(ROWS, SEQ, tokens, mask, labels);
    }

    @Test
    void tokenClassificationReachesNinetyFivePercent() {
        LocalTrainer trainer = new LocalTrainer(new TransformerModel(config(Task.TOKEN_CLASSIFICATION, 2)), OPT);
        trainer.train(stream(2L, LearningTest::risingTokens), 400, 2L);
        double accuracy = accuracy(trainer.model(), stream(98L, LearningTest::risingTokens), 8);
        assertTrue(accuracy >= 0.95, "token accuracy " + accuracy);
    }

    /** Each token tagged with the residue mod 3 of the token before it (the first with 0): only order tells. */
    private static MiniBatch previousTokenTagged(Random random) {
        return taggedRandomTokens(random, (tokens, at, i) -> i == 0 ? 0 : tokens[at - 1] % 3);
    }

    /** With learned positions, attention alone has to discover "the token before me"; the convolution sees it. */
    @Test
    void theLocalConvolutionTagsFromTheNeighbouringTokenWhereAttentionAloneHasNotLearnedItYet() {
        double[] accuracy = new double[2];
        for (int width : new int[] {0, 3}) {
            TransformerConfig cfg = config(Task.TOKEN_CLASSIFICATION, 3).toBuilder()
                    .positional(PositionalEncoding.LEARNED).convolution(width).build();
            LocalTrainer trainer = new LocalTrainer(new TransformerModel(cfg), OPT);
            trainer.train(stream(6L, LearningTest::previousTokenTagged), STEPS_TO_NEIGHBOUR, 6L);
            accuracy[width == 0 ? 0 : 1] = accuracy(trainer.model(), stream(95L, LearningTest::previousTokenTagged), 8);
        }
        assertTrue(accuracy[1] >= 0.95, "with the convolution: accuracy " + accuracy[1]);
        assertTrue(accuracy[0] <= 0.8, "attention alone: accuracy " + accuracy[0]);
    }

    private static final int STEPS_TO_NEIGHBOUR = 150;

    /**
     * Rows of [CLS] (2), five two-token words and [SEP] (1): a stem (6..23) then a suffix (3..5) that alone decides
     * the word's tag (0..2), labelled at the stem.
     */
    private static MiniBatch suffixTagged(Random random) {
        int[] mask = new int[ROWS * SEQ];
        int[] tokens = new int[ROWS * SEQ];
        int[] labels = new int[ROWS * SEQ];
        Arrays.fill(labels, MiniBatch.IGNORE);
        Arrays.fill(mask, 1);
        for (int r = 0; r < ROWS; r++) {
            tokens[r * SEQ] = 2;
            for (int w = 0; w < (SEQ - 2) / 2; w++) {
                int at = r * SEQ + 1 + 2 * w;
                int tag = random.nextInt(3);
                tokens[at] = 6 + random.nextInt(VOCAB - 6);
                tokens[at + 1] = 3 + tag;
                labels[at] = tag;
            }
            tokens[r * SEQ + SEQ - 1] = 1;
        }
        return new MiniBatch(ROWS, SEQ, tokens, mask, labels);
    }

    /** With causal attention a word's first sub-token cannot see its suffix: only the mean over the word tags it. */
    @Test
    void meanWordPoolingTagsFromEverySubTokenWhereTheFirstAloneCannot() {
        double[] accuracy = new double[2];
        for (WordPooling pooling : WordPooling.values()) {
            TransformerConfig cfg = config(Task.TOKEN_CLASSIFICATION, 3).withWordPooling(pooling)
                    .withArchitecture(Activation.GELU, PositionalEncoding.LEARNED, NormPlacement.PRE, AttentionMode.CAUSAL);
            LocalTrainer trainer = new LocalTrainer(new TransformerModel(cfg), OPT);
            trainer.train(stream(4L, LearningTest::suffixTagged), 200, 4L);
            accuracy[pooling.ordinal()] = accuracy(trainer.model(), stream(96L, LearningTest::suffixTagged), 8);
        }
        assertTrue(accuracy[WordPooling.MEAN.ordinal()] >= 0.95, "mean pooling accuracy " + accuracy[1]);
        assertTrue(accuracy[WordPooling.FIRST.ordinal()] <= 0.5, "first-sub-token accuracy " + accuracy[0]);
    }

    /** Label 1 when the sequence contains token 5 anywhere among its real tokens. */
    private static MiniBatch containsFive(Random random) {
        int[] mask = new int[ROWS * SEQ];
        int[] tokens = new int[ROWS * SEQ];
        int[] labels = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            int length = SEQ / 2 + random.nextInt(SEQ / 2 + 1);
            boolean positive = random.nextBoolean();
            for (int i = 0; i < length; i++) {
                int t;
                do {
                    t = 2 + random.nextInt(VOCAB - 2);
                } while (t == 5);
                tokens[r * SEQ + i] = t;
                mask[r * SEQ + i] = 1;
            }
            if (positive) {
                tokens[r * SEQ + 1 + random.nextInt(length - 1)] = 5;
            }
            tokens[r * SEQ] = 2;   // [CLS]
            labels[r] = positive ? 1 : 0;
        }
        return new MiniBatch(ROWS, SEQ, tokens, mask, labels);
    }

    @Test
    void sequenceClassificationReachesNinetyFivePercent() {
        for (Pooling pooling : Pooling.values()) {
            TransformerConfig cfg = config(Task.SEQUENCE_CLASSIFICATION, 2).withPooling(pooling);
            LocalTrainer trainer = new LocalTrainer(new TransformerModel(cfg), OPT);
            trainer.train(stream(3L, LearningTest::containsFive), 250, 3L);
            double accuracy = accuracy(trainer.model(), stream(97L, LearningTest::containsFive), 8);
            assertTrue(accuracy >= 0.95, pooling + " sequence accuracy " + accuracy);
        }
    }

    private static double accuracy(TransformerModel model, Iterator<MiniBatch> batches, int count) {
        long right = 0;
        long total = 0;
        for (int b = 0; b < count; b++) {
            MiniBatch batch = batches.next();
            INDArray predicted = model.logits(batch).argMax(1);
            int[] labels = batch.labels();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != MiniBatch.IGNORE) {
                    total++;
                    right += predicted.getInt(i) == labels[i] ? 1 : 0;
                }
            }
        }
        return (double) right / total;
    }
}
