package org.sparkformer.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkformer.kernels.batch.MiniBatch;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.model.LengthBuckets;
import org.sparkformer.kernels.model.TransformerModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code scripts/bench --compare-inference}: the inference path against the training forward in eval mode, in one
 * JVM. For each case both run in turn, a repetition each, into output buffers allocated before timing: "before" is
 * {@code TransformerModel.logits(batch, out)} (the forward training runs, with dropout off), "after" is
 * {@code TransformerModel.inference()}. The cases: masked-LM logits at every position, a sequence classifier and a
 * tagger on full batches of the preset's shape, and the classifier on sequences of mixed lengths, which "before"
 * scores in input order (each batch as long as its longest sequence) and "after" in {@link LengthBuckets}. After each
 * pair of passes one sgemm product of the probe's size is timed, and MFU is against the median of those: on a shared
 * machine the peak is then measured under the same load as the passes it is compared with.
 */
public final class InferenceComparison {

    /** Sequences of the mixed-length case: eight batches' worth, lengths uniform from 8 to the preset's length. */
    static final int MIXED_BATCHES = 8;
    static final int SHORTEST = 8;

    /**
     * One case: seconds per pass before and after, over the same real tokens and FLOPs, and the sgemm rate (GFLOP/s)
     * timed after each pair of passes.
     */
    public record Case(String name, Samples before, Samples after, long tokens, double flops, Samples sgemm) {

        public double speedup() {
            return before.median() / after.median();
        }

        /** MFU of a side against the median of the sgemm products timed between this case's passes. */
        public double mfu(Samples seconds) {
            return FlopCount.utilisation(flops / seconds.median(), sgemm.median() * 1e9);
        }
    }

    /** A pass of one side of a case. */
    @FunctionalInterface
    private interface Pass {
        void run();
    }

    private final BenchPreset preset;
    private final int repetitions;
    private final FlopCount flops;
    private final SgemmProbe.Single sgemm;

    public InferenceComparison(BenchPreset preset, BenchPlan plan) {
        this.sgemm = new SgemmProbe.Single(plan.sgemmSize());
        this.preset = preset;
        this.repetitions = Math.max(5, 2 * plan.timedSteps());
        this.flops = new FlopCount(preset.model(), preset.seqLen());
    }

    /** Every case, each side timed {@code max(5, 2 * timedSteps)} times after two untimed passes. */
    public List<Case> measure() {
        List<Case> cases = new ArrayList<>();
        int rows = preset.batch();
        int t = preset.seqLen();
        int vocab = preset.model().vocabSize();

        TransformerModel lm = new TransformerModel(preset.model());
        MiniBatch lmBatch = SyntheticData.maskedLmBatch(rows, t, vocab, 11L);
        cases.add(full("masked-LM, logits at every position", lm, lmBatch, flops.inferencePerToken()));

        int classes = KernelProbe.CLASSIFY_LABELS;
        TransformerModel classifier = new TransformerModel(preset.model().withTask(Task.SEQUENCE_CLASSIFICATION, classes));
        MiniBatch sequences = SyntheticData.classificationBatch(rows, t, vocab, classes, 12L);
        double classifyPerToken = flops.encoderPerToken() + flops.classifierPerPrediction(classes) / t;
        cases.add(full("sequence classification (" + classes + " labels)", classifier, sequences, classifyPerToken));

        int tags = KernelProbe.TAG_LABELS;
        TransformerModel tagger = new TransformerModel(preset.model().withTask(Task.TOKEN_CLASSIFICATION, tags));
        MiniBatch sentences = SyntheticData.taggingBatch(rows, t, vocab, tags, 13L);
        cases.add(full("tagging (" + tags + " labels), a tag at every position", tagger, sentences,
                flops.encoderPerToken() + flops.classifierPerPrediction(tags)));

        cases.add(mixed(classifier, classes));
        return cases;
    }

    private Case full(String name, TransformerModel model, MiniBatch batch, double flopsPerToken) {
        INDArray before = model.logits(batch);
        INDArray after = model.inference().logits(batch);
        return time(name, () -> model.logits(batch, before), () -> model.inference().logits(batch, after),
                batch.realTokens(), flopsPerToken * batch.realTokens());
    }

    /** Classifier batches from {@value #MIXED_BATCHES} batches' worth of sequences of mixed lengths. */
    private Case mixed(TransformerModel classifier, int classes) {
        int rows = preset.batch();
        int count = rows * MIXED_BATCHES;
        SplittableRandom random = new SplittableRandom(14L);
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = random.nextInt(SHORTEST, preset.seqLen() + 1);
        }
        List<int[]> inOrder = new ArrayList<>();
        for (int from = 0; from < count; from += rows) {
            int[] batch = new int[Math.min(rows, count - from)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = from + i;
            }
            inOrder.add(batch);
        }
        List<MiniBatch> before = batches(inOrder, lengths, classes);
        List<MiniBatch> after = batches(LengthBuckets.batches(lengths, rows), lengths, classes);
        List<INDArray> beforeOut = before.stream().map(classifier::logits).toList();
        List<INDArray> afterOut = after.stream().map(b -> classifier.inference().logits(b)).toList();
        long tokens = Arrays.stream(lengths).asLongStream().sum();
        // FLOPs of the real tokens, attention over each sequence's own length
        double work = 0;
        for (int length : lengths) {
            FlopCount f = new FlopCount(preset.model(), length);
            work += length * f.encoderPerToken() + f.classifierPerPrediction(classes);
        }
        return time("sequence classification, " + count + " sequences of " + SHORTEST + "-" + preset.seqLen() + " tokens",
                () -> {
                    for (int i = 0; i < before.size(); i++) {
                        classifier.logits(before.get(i), beforeOut.get(i));
                    }
                },
                () -> {
                    for (int i = 0; i < after.size(); i++) {
                        classifier.inference().logits(after.get(i), afterOut.get(i));
                    }
                }, tokens, work);
    }

    /** Classification batches of the given sequences, each as long as its longest. */
    private List<MiniBatch> batches(List<int[]> groups, int[] lengths, int classes) {
        List<MiniBatch> out = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(15L);
        for (int[] group : groups) {
            int t = Arrays.stream(group).map(i -> lengths[i]).max().orElseThrow();
            MiniBatch full = SyntheticData.classificationBatch(group.length, t, preset.model().vocabSize(), classes,
                    random.nextLong());
            int[] mask = full.attentionMask().clone();
            int[] tokens = full.tokenIds().clone();
            for (int r = 0; r < group.length; r++) {
                for (int p = lengths[group[r]]; p < t; p++) {
                    mask[r * t + p] = 0;
                    tokens[r * t + p] = 0;
                }
            }
            out.add(new MiniBatch(group.length, t, tokens, mask, full.labels()));
        }
        return out;
    }

    private Case time(String name, Pass before, Pass after, long tokens, double work) {
        for (int i = 0; i < 2; i++) {
            before.run();
            after.run();
        }
        double[] b = new double[repetitions];
        double[] a = new double[repetitions];
        double[] peak = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long t0 = System.nanoTime();
            before.run();
            long t1 = System.nanoTime();
            after.run();
            long t2 = System.nanoTime();
            b[i] = (t1 - t0) / 1e9;
            a[i] = (t2 - t1) / 1e9;
            peak[i] = sgemm.gflops();          // the peak under the same load as the passes beside it
        }
        return new Case(name, Samples.of(b), Samples.of(a), tokens, work, Samples.of(peak));
    }

    /** The cases as a table: tokens/s and MFU against {@code sgemm} before and after, and the speed-up. */
    public static String toTable(BenchPreset preset, List<Case> cases, SgemmPeak sgemm, int repetitions) {
        StringBuilder s = new StringBuilder();
        s.append("inference path against the training forward in eval mode (").append(preset.describe()).append(")\n");
        s.append(String.format("  sgemm probes before / after the cases %.1f / %.1f GFLOP/s; medians of %d passes each,"
                        + " before and after in turn, then one sgemm product (MFU is against the median of those)%n",
                sgemm.before().median(), sgemm.after().median(), repetitions));
        s.append(String.format("  %-58s %12s %12s %7s %8s %8s %8s%n", "case", "before tok/s", "after tok/s", "sgemm",
                "MFU bef", "MFU aft", "speed-up"));
        for (Case c : cases) {
            s.append(String.format("  %-58s %12.0f %12.0f %7.1f %7.1f%% %7.1f%% %7.2fx%n", c.name(),
                    c.tokens() / c.before().median(), c.tokens() / c.after().median(), c.sgemm().median(),
                    100 * c.mfu(c.before()), 100 * c.mfu(c.after()), c.speedup()));
        }
        return s.toString();
    }

    public int repetitions() {
        return repetitions;
    }
}
