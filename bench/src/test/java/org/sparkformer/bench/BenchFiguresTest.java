package org.sparkformer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.config.TransformerConfig;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the benchmark: FLOP counts, medians, targets and the JSON shape. No timing. */
class BenchFiguresTest {

    private static final TransformerConfig REFERENCE = TransformerConfig.base(8000);

    @Test
    void matmulParametersOfTheReferenceModelFollowTheFormula() {
        FlopCount f = new FlopCount(REFERENCE, 128);
        // L (4 d^2 + 2 d d_ff) = 4 * (4 * 65536 + 2 * 256 * 1024)
        assertEquals(3_145_728L, f.encoderMatmulParams());
        // d^2 + V d = 65536 + 8000 * 256
        assertEquals(2_113_536L, f.headMatmulParams());
        assertEquals(4.0 * 4 * 128 * 256, f.attentionForwardPerToken());
    }

    @Test
    void trainingStepCountsTheHeadOnLabelledPositionsOnly() {
        FlopCount f = new FlopCount(REFERENCE, 128);
        double none = f.trainingStep(4096, 0);
        double some = f.trainingStep(4096, 600);
        assertEquals(6.0 * 600 * f.headMatmulParams(), some - none, 1e-3);
        assertEquals(4096 * (6.0 * 3_145_728 + 12.0 * 4 * 128 * 256), none, 1e-3);
        // with every position labelled the step equals the nominal per-token count
        assertEquals(f.nominalTrainingPerToken() * 4096, f.trainingStep(4096, 4096), 1e-3);
    }

    @Test
    void classifierInferenceCountsTheEncoderAndTheClassifierPerPrediction() {
        FlopCount f = new FlopCount(REFERENCE, 128);
        assertEquals(2.0 * 3_145_728 + 4.0 * 4 * 128 * 256, f.encoderPerToken(), 1e-6);
        assertEquals(2.0 * 256 * 17, f.classifierPerPrediction(17), 1e-9);
        assertEquals(f.inferencePerToken() - 2.0 * f.headMatmulParams(), f.encoderPerToken(), 1e-6);
    }

    @Test
    void inferenceIsAThirdOfTheNominalTrainingCount() {
        FlopCount f = new FlopCount(TransformerConfig.small(8000), 128);
        assertEquals(f.nominalTrainingPerToken() / 3, f.inferencePerToken(), 1e-6);
        assertEquals(0.25, FlopCount.utilisation(25e9, 100e9), 1e-12);
    }

    @Test
    void flopCountRejectsSequencesLongerThanTheModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FlopCount(REFERENCE, 129));
        assertTrue(e.getMessage().contains("129"), e.getMessage());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Samples.of(5, 1, 3).median());
        assertEquals(2.5, Samples.of(4, 1, 3, 2).median());
        Samples s = Samples.of(2, 8, 4);
        assertEquals(2.0, s.min());
        assertEquals(8.0, s.max());
        assertEquals(Samples.of(0.5, 0.125, 0.25).median(), s.reciprocal(1).median());
        assertThrows(IllegalArgumentException.class, Samples::of);
    }

    @Test
    void targetsCompareInTheirDirection() {
        assertEquals("pass", Target.TRAIN_MFU.verdict(0.41));
        assertEquals("FAIL", Target.TRAIN_MFU.verdict(0.39));
        assertEquals("pass", Target.OVERHEAD.verdict(0.04));
        assertEquals("FAIL", Target.OVERHEAD.verdict(0.06));
        assertEquals("n/a", Target.SCALING.verdict(Double.NaN));
        assertEquals(">= 40%", Target.TRAIN_MFU.describe(true));
        assertEquals("FAIL", Target.INFER_MFU.verdict(0.79));
        assertEquals("pass", Target.INFER_MFU.verdict(0.80));
    }

    @Test
    void comparisonCasesTakeTheSpeedUpAndMfuFromTheirMedians() {
        InferenceComparison.Case c = new InferenceComparison.Case("case", Samples.of(2.0, 4.0, 3.0),
                Samples.of(1.0, 1.5, 5.0), 4096, 150e9, Samples.of(50.0, 100.0, 200.0));
        assertEquals(2.0, c.speedup(), 1e-12);                  // 3 s against 1.5 s
        assertEquals(0.5, c.mfu(c.before()), 1e-12);            // 150 GFLOP in 3 s against the median sgemm 100 GFLOP/s
        assertEquals(1.0, c.mfu(c.after()), 1e-12);
    }

    @Test
    void presetsMatchTheKernelConfigurations() {
        assertEquals(REFERENCE, BenchPreset.named("reference").model());
        assertEquals(TransformerConfig.small(8000), BenchPreset.named("small").model());
        BenchPreset large = BenchPreset.named("large");
        assertEquals(List.of(512, 6, 8, 2048, 16), List.of(large.model().dModel(), large.model().layers(),
                large.model().heads(), large.model().dFf(), large.batch()));
        assertThrows(IllegalArgumentException.class, () -> BenchPreset.named("huge"));
    }

    @Test
    void jsonLineHoldsEveryHeadlineKey() throws Exception {
        BenchPreset preset = BenchPreset.named("small");
        KernelProbe.Training training = new KernelProbe.Training(Samples.of(2.0), Samples.of(0.5), Samples.of(1.0),
                Samples.of(0.5), 4096, 600, 100e9, 30e6);
        KernelProbe.Inference inference = new KernelProbe.Inference(Samples.of(1.0), Samples.of(0.5), 32, 4096, 10e6,
                new KernelProbe.TaskInference(45, Samples.of(0.5), 4096, 10e6), new KernelProbe.TaskInference(17, Samples.of(0.25), 4096, 5e6));
        PipelineProbe.Figures pipeline = new PipelineProbe.Figures(Samples.of(0.1), Samples.of(0.1), 40960, 100, 8000, 1.0);
        ScalingProbe.Layout one = layout(1, 1000, 0.02);
        ScalingProbe.Layout two = layout(2, 1900, 0.03);
        ScalingProbe.Figures scaling = new ScalingProbe.Figures(one, two, 8, 32,
                List.of(new ScalingProbe.ExecutorMemory("0", 200L << 20, 300L << 20, 600L << 20, "blas 1, nd4j 1")), 10);
        BenchReport report = new BenchReport(preset, BenchPlan.quick(), true, Map.of("date", "2026-01-01"),
                new SgemmPeak(Samples.of(80.0), Samples.of(100.0)), training, inference, pipeline, scaling, 1L << 30, 1L << 29, 2L << 30);

        String json = report.toJson();
        assertFalse(json.contains("\n"), "one line");
        JsonNode node = new ObjectMapper().readTree(json);
        for (String key : List.of("config", "train_tokens_per_s", "infer_tokens_per_s", "infer_sequences_per_s",
                "sgemm_gflops", "mfu_train", "mfu_infer", "scaling_2v1", "overhead_share", "pipeline_tokens_per_s",
                "pipeline_ratio", "peak_heap_mb", "peak_offheap_mb", "infer_classify_tokens_per_s", "mfu_infer_classify",
                "infer_tag_tokens_per_s", "mfu_infer_tag")) {
            assertTrue(node.has(key), "missing " + key + " in " + json);
        }
        assertEquals("small", node.get("config").asText());
        assertEquals(2048.0, node.get("train_tokens_per_s").asDouble(), 1e-9);
        assertEquals(100.0, node.get("sgemm_gflops").asDouble(), 1e-9);    // the higher probe counts
        assertEquals(80.0, node.get("sgemm_gflops_before").asDouble(), 1e-9);
        assertEquals(0.5, node.get("mfu_train").asDouble(), 1e-9);          // 50 GFLOP/s of 100
        assertEquals(0.4096, node.get("mfu_infer").asDouble(), 1e-9);       // 4096 tokens/s x 10 MFLOP of 100 GFLOP/s
        assertEquals(1.9, node.get("scaling_2v1").asDouble(), 1e-9);
        assertEquals(0.03, node.get("overhead_share").asDouble(), 1e-9);
        assertEquals(0.006, node.get("outside_delivery_s_2w").asDouble(), 1e-9);
        assertEquals(0.004, node.get("outside_in_task_s_1w").asDouble(), 1e-9);
        assertEquals(204800.0 / 2048.0, node.get("pipeline_ratio").asDouble(), 1e-9);
        assertEquals(300.0, node.get("peak_offheap_mb").asDouble(), 1e-9);
        assertEquals("pass", node.get("targets").get("mfu_train").asText());
        assertEquals(8192.0, node.get("infer_classify_tokens_per_s").asDouble(), 1e-9);
        assertEquals(0.8192, node.get("mfu_infer_classify").asDouble(), 1e-9);     // 8192 tokens/s x 10 MFLOP of 100 GFLOP/s
        assertEquals("pass", node.get("targets").get("mfu_infer_classify").asText());
        assertEquals(0.8192, node.get("mfu_infer_tag").asDouble(), 1e-9);          // 16384 tokens/s x 5 MFLOP
        assertEquals("FAIL", node.get("targets").get("mfu_infer").asText());       // 41% against the 80% target
        assertTrue(report.toTable().contains("scaling 2 vs 1 worker"));
    }

    private static ScalingProbe.Layout layout(int workers, double tokensPerSecond, double overhead) {
        return new ScalingProbe.Layout(workers, Samples.of(1.0), Samples.of(tokensPerSecond), Samples.of(overhead),
                Samples.of(overhead), Samples.of(0.01), Samples.of(0.9), Samples.of(0.001), Samples.of(0.95), 1000,
                new ScalingProbe.OutsideParts(Samples.of(0.01), Samples.of(0.002), Samples.of(0.003), Samples.of(0.004),
                        Samples.of(0.005), Samples.of(0.006), Samples.of(0.007)));
    }
}
