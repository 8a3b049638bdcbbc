package org.sparkformer.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one benchmark run: a readable table with the targets, and one JSON object. Figures that were not
 * measured (the cluster part when skipped) are NaN in the table and null in JSON.
 *
 * @param environment where and how it ran (date, cores, threads, command)
 */
public record BenchReport(BenchPreset preset, BenchPlan plan, boolean quick, Map<String, String> environment,
                          SgemmPeak sgemm, KernelProbe.Training training, KernelProbe.Inference inference,
                          PipelineProbe.Figures pipeline, ScalingProbe.Figures scaling, long localHeapPeakBytes,
                          long localNativePeakBytes, long localResidentPeakBytes) {

    private static final double MB = 1024.0 * 1024.0;

    public double peakFlops() {
        return sgemm.gflops() * 1e9;
    }

    public double trainMfu() {
        return FlopCount.utilisation(training.flopsPerSecond(), peakFlops());
    }

    public double trainMfuNominal() {
        return FlopCount.utilisation(training.nominalFlopsPerToken() * training.tokensPerSecond(), peakFlops());
    }

    public double inferMfu() {
        return FlopCount.utilisation(inference.flopsPerSecond(), peakFlops());
    }

    public double classifyMfu() {
        return FlopCount.utilisation(inference.classify().flopsPerSecond(), peakFlops());
    }

    public double tagMfu() {
        return FlopCount.utilisation(inference.tag().flopsPerSecond(), peakFlops());
    }

    public double pipelineRatio() {
        return pipeline.tokensPerSecond() / training.tokensPerSecond();
    }

    public double scaling2v1() {
        return scaling == null ? Double.NaN : scaling.scaling();
    }

    public double overheadShare() {
        return scaling == null ? Double.NaN : scaling.two().overheadShare().median();
    }

    /** The figures as one flat JSON object (keys in a fixed order). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", preset.name());
        m.put("quick", quick);
        m.put("model", preset.describe());
        environment.forEach(m::put);
        m.put("train_tokens_per_s", training.tokensPerSecond());
        m.put("infer_tokens_per_s", inference.tokensPerSecond());
        m.put("infer_sequences_per_s", inference.sequencesPerSecond());
        m.put("sgemm_gflops", sgemm.gflops());
        m.put("sgemm_gflops_before", sgemm.before().median());
        m.put("sgemm_gflops_after", sgemm.after().median());
        m.put("mfu_train", trainMfu());
        m.put("mfu_infer", inferMfu());
        m.put("infer_classify_tokens_per_s", inference.classify().tokensPerSecond());
        m.put("mfu_infer_classify", classifyMfu());
        m.put("infer_tag_tokens_per_s", inference.tag().tokensPerSecond());
        m.put("mfu_infer_tag", tagMfu());
        m.put("scaling_2v1", finite(scaling2v1()));
        m.put("overhead_share", finite(overheadShare()));
        m.put("pipeline_tokens_per_s", pipeline.tokensPerSecond());
        m.put("pipeline_ratio", pipelineRatio());
        m.put("peak_heap_mb", scaling == null ? null : scaling.heapPeakBytes() / MB);
        m.put("peak_offheap_mb", scaling == null ? null : scaling.nativePeakBytes() / MB);
        m.put("peak_rss_mb", scaling == null ? null : scaling.residentPeakBytes() / MB);
        m.put("local_peak_heap_mb", localHeapPeakBytes / MB);
        m.put("local_peak_offheap_mb", localNativePeakBytes / MB);
        m.put("local_peak_rss_mb", localResidentPeakBytes < 0 ? null : localResidentPeakBytes / MB);
        m.put("mfu_train_nominal", trainMfuNominal());
        m.put("train_flop_formula", FlopCount.TRAIN_FORMULA);
        m.put("infer_flop_formula", FlopCount.INFER_FORMULA);
        m.put("train_flops_per_step", training.flopsPerStep());
        m.put("train_tokens_per_step", training.tokensPerStep());
        m.put("train_labelled_per_step", training.labelledPerStep());
        m.put("train_step_s", training.stepSeconds().median());
        m.put("train_forward_s", training.forwardSeconds().median());
        m.put("train_backward_s", training.backwardSeconds().median());
        m.put("train_optimizer_s", training.optimizerSeconds().median());
        m.put("infer_flops_per_token", inference.flopsPerToken());
        m.put("infer_batch_s", inference.logitsSeconds().median());
        m.put("encoder_tokens_per_s", inference.encoderTokensPerSecond());
        m.put("infer_classify_batch_s", inference.classify().batchSeconds().median());
        m.put("infer_classify_flops_per_token", inference.classify().flopsPerToken());
        m.put("infer_classify_labels", inference.classify().labels());
        m.put("infer_tag_batch_s", inference.tag().batchSeconds().median());
        m.put("infer_tag_flops_per_token", inference.tag().flopsPerToken());
        m.put("infer_tag_labels", inference.tag().labels());
        m.put("tokenize_tokens_per_s", pipeline.tokenizeTokensPerSecond());
        m.put("batching_tokens_per_s", pipeline.batchTokensPerSecond());
        m.put("pipeline_tokens_per_pass", pipeline.tokensPerPass());
        if (scaling != null) {
            m.put("averaging_frequency", scaling.averagingFrequency());
            m.put("cluster_batch", scaling.batch());
            putLayout(m, "1w", scaling.one());
            putLayout(m, "2w", scaling.two());
            m.put("overhead_share_1w", scaling.one().overheadShare().median());
        }
        m.put("timed_steps", plan.timedSteps());
        m.put("timed_rounds", plan.clusterTimedRounds());
        Map<String, String> verdicts = new LinkedHashMap<>();
        verdicts.put("mfu_train", Target.TRAIN_MFU.verdict(trainMfu()));
        verdicts.put("mfu_infer", Target.INFER_MFU.verdict(inferMfu()));
        verdicts.put("mfu_infer_classify", Target.INFER_MFU.verdict(classifyMfu()));
        verdicts.put("mfu_infer_tag", Target.INFER_MFU.verdict(tagMfu()));
        verdicts.put("scaling_2v1", Target.SCALING.verdict(scaling2v1()));
        verdicts.put("overhead_share", Target.OVERHEAD.verdict(overheadShare()));
        verdicts.put("pipeline_ratio", Target.PIPELINE.verdict(pipelineRatio()));
        m.put("targets", verdicts);
        return m;
    }

    private static void putLayout(Map<String, Object> m, String suffix, ScalingProbe.Layout l) {
        m.put("cluster_tokens_per_s_" + suffix, l.tokensPerSecond().median());
        m.put("round_s_" + suffix, l.roundSeconds().median());
        m.put("round_train_s_" + suffix, l.trainSeconds().median());
        m.put("round_outside_s_" + suffix, l.outsideSeconds().median());
        m.put("round_broadcast_s_" + suffix, l.broadcastSeconds().median());
        m.put("round_job_s_" + suffix, l.jobSeconds().median());
        m.put("round_aggregate_s_" + suffix, l.aggregateSeconds().median());
        ScalingProbe.OutsideParts o = l.outside();
        m.put("outside_broadcast_s_" + suffix, o.broadcast().median());
        m.put("outside_launch_s_" + suffix, o.launch().median());
        m.put("outside_deserialize_s_" + suffix, o.deserialize().median());
        m.put("outside_in_task_s_" + suffix, o.inTask().median());
        m.put("outside_serialize_s_" + suffix, o.serialize().median());
        m.put("outside_delivery_s_" + suffix, o.delivery().median());
        m.put("outside_rest_s_" + suffix, o.rest().median());
    }

    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }

    public String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the benchmark figures as JSON", e);
        }
    }

    /** The readable table: headline figures with targets, then where the time goes. */
    public String toTable() {
        StringBuilder s = new StringBuilder();
        s.append("sparkformer benchmark").append(quick ? " (--quick: indicative only)" : "").append('\n');
        s.append("  ").append(preset.describe()).append('\n');
        environment.forEach((k, v) -> s.append("  ").append(k).append(": ").append(v).append('\n'));
        s.append('\n');
        row(s, "figure (median)", "measured", "target", "result");
        row(s, "sgemm " + plan.sgemmSize() + "^3 f-order, GFLOP/s", fmt(sgemm.gflops(), "%.1f"), "", "");
        row(s, "  probes before / after the kernels", fmt(sgemm.before().median(), "%.1f") + " / "
                + fmt(sgemm.after().median(), "%.1f"), "", "");
        row(s, "training tokens/s (1 JVM)", fmt(training.tokensPerSecond(), "%.0f"), "", "");
        row(s, "training MFU", pct(trainMfu()), Target.TRAIN_MFU.describe(true), Target.TRAIN_MFU.verdict(trainMfu()));
        row(s, "masked-LM inference tokens/s", fmt(inference.tokensPerSecond(), "%.0f"), "", "");
        row(s, "inference sequences/s", fmt(inference.sequencesPerSecond(), "%.1f"), "", "");
        row(s, "masked-LM inference MFU", pct(inferMfu()), Target.INFER_MFU.describe(true), Target.INFER_MFU.verdict(inferMfu()));
        row(s, "classifier inference tokens/s", fmt(inference.classify().tokensPerSecond(), "%.0f"), "", "");
        row(s, "classifier inference MFU", pct(classifyMfu()), Target.INFER_MFU.describe(true),
                Target.INFER_MFU.verdict(classifyMfu()));
        row(s, "tagger inference tokens/s", fmt(inference.tag().tokensPerSecond(), "%.0f"), "", "");
        row(s, "tagger inference MFU", pct(tagMfu()), Target.INFER_MFU.describe(true), Target.INFER_MFU.verdict(tagMfu()));
        row(s, "pipeline tokens/s (1 thread)", fmt(pipeline.tokensPerSecond(), "%.0f"), "", "");
        row(s, "pipeline / training rate", fmt(pipelineRatio(), "%.1fx"), Target.PIPELINE.describe(false),
                Target.PIPELINE.verdict(pipelineRatio()));
        if (scaling != null) {
            row(s, "cluster tokens/s, 1 worker", fmt(scaling.one().tokensPerSecond().median(), "%.0f"), "", "");
            row(s, "cluster tokens/s, 2 workers", fmt(scaling.two().tokensPerSecond().median(), "%.0f"), "", "");
            row(s, "scaling 2 vs 1 worker", fmt(scaling2v1(), "%.2fx"), Target.SCALING.describe(false),
                    Target.SCALING.verdict(scaling2v1()));
            row(s, "round overhead share (2 workers)", pct(overheadShare()), Target.OVERHEAD.describe(true),
                    Target.OVERHEAD.verdict(overheadShare()));
            row(s, "peak heap per executor, MB", fmt(scaling.heapPeakBytes() / MB, "%.0f"), "", "");
            row(s, "peak native per executor, MB", fmt(scaling.nativePeakBytes() / MB, "%.0f"), "", "");
        } else {
            row(s, "cluster part", "skipped", "", "");
        }
        s.append('\n').append("where the time goes").append('\n');
        s.append(String.format("  training step %.3f s = forward %.3f + backward %.3f + clip/AdamW %.3f (%d tokens, %d labelled)%n",
                training.stepSeconds().median(), training.forwardSeconds().median(), training.backwardSeconds().median(),
                training.optimizerSeconds().median(), training.tokensPerStep(), training.labelledPerStep()));
        s.append(String.format("  training %.1f GFLOP/step -> %.1f GFLOP/s; nominal MFU (head at every position) %s%n",
                training.flopsPerStep() / 1e9, training.flopsPerSecond() / 1e9, pct(trainMfuNominal())));
        s.append(String.format("  inference batch %.3f s (logits at all %d positions), encoder alone %.3f s = %.0f tokens/s;"
                        + " %.1f GFLOP/s%n", inference.logitsSeconds().median(), inference.tokensPerBatch(),
                inference.encoderSeconds().median(), inference.encoderTokensPerSecond(), inference.flopsPerSecond() / 1e9));
        s.append(String.format("  classifier (%d labels) batch %.3f s, tagger (%d labels, a tag at every position) %.3f s%n",
                inference.classify().labels(), inference.classify().batchSeconds().median(), inference.tag().labels(),
                inference.tag().batchSeconds().median()));
        s.append(String.format("  pipeline: tokenize+pack %.0f tokens/s, masked-LM batching %.0f tokens/s (%d lines, %d tokens,"
                        + " vocabulary %d trained in %.1f s)%n", pipeline.tokenizeTokensPerSecond(),
                pipeline.batchTokensPerSecond(), pipeline.lines(), pipeline.tokensPerPass(), pipeline.vocabularySize(),
                pipeline.vocabularySeconds()));
        if (scaling != null) {
            s.append(String.format("  cluster: K=%d steps/round, batch %d, cluster start %.1f s%n",
                    scaling.averagingFrequency(), scaling.batch(), scaling.startSeconds()));
            layoutLine(s, scaling.one());
            layoutLine(s, scaling.two());
            for (ScalingProbe.ExecutorMemory e : scaling.executors()) {
                s.append(String.format("  executor %s (%s threads): heap peak %.0f MB, native peak %.0f MB, resident peak %.0f MB%n",
                        e.executorId(), e.threads(), e.heapPeakBytes() / MB, e.nativePeakBytes() / MB,
                        e.residentPeakBytes() / MB));
            }
        }
        s.append(String.format("  this JVM (single-worker parts): heap peak %.0f MB, native peak %.0f MB, resident peak %.0f MB%n",
                localHeapPeakBytes / MB, localNativePeakBytes / MB, localResidentPeakBytes / MB));
        s.append('\n').append("  ").append(FlopCount.TRAIN_FORMULA).append('\n');
        s.append("  ").append(FlopCount.INFER_FORMULA).append('\n');
        s.append("  MFU = achieved FLOP/s / sgemm peak of this run (the higher median of the probes before and after the kernels), same thread count").append('\n');
        return s.toString();
    }

    private static void layoutLine(StringBuilder s, ScalingProbe.Layout l) {
        s.append(String.format("  %d worker(s): round %.2f s = broadcast %.2f + job %.2f (longest task's training %.2f)"
                        + " + aggregate %.3f; %d tokens/round; overhead %s (%.2f s)%n", l.workers(),
                l.roundSeconds().median(), l.broadcastSeconds().median(), l.jobSeconds().median(),
                l.trainSeconds().median(), l.aggregateSeconds().median(), l.tokensPerRound(),
                pct(l.overheadShare().median()), l.outsideSeconds().median()));
        ScalingProbe.OutsideParts o = l.outside();
        s.append(String.format("    outside training: broadcast %.3f + launch %.3f + task decode %.3f + in task %.3f"
                        + " + result serialize %.3f + delivery %.3f + rest (averaging, job end) %.3f s%n",
                o.broadcast().median(), o.launch().median(), o.deserialize().median(), o.inTask().median(),
                o.serialize().median(), o.delivery().median(), o.rest().median()));
    }

    private static void row(StringBuilder s, String name, String value, String target, String verdict) {
        s.append(String.format("  %-36s %14s  %-8s %s%n", name, value, target, verdict));
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(format, v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.1f%%", v * 100);
    }
}
