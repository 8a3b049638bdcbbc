package org.sparkformer.kernels.compress;

import org.junit.jupiter.api.Test;
import org.sparkformer.kernels.config.AttentionMode;
import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.layers.Parameter;
import org.sparkformer.kernels.model.TransformerModel;
import org.sparkformer.kernels.testing.Batches;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagnitudePruningTest {

    private static TransformerModel model() {
        return new TransformerModel(Batches.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE, AttentionMode.BIDIRECTIONAL)
                .toBuilder().initStd(0.3).build());
    }

    @Test
    void theEncoderChoicePrunesOnlyTheBlocksAttentionAndFeedForwardWeightMatrices() {
        TransformerModel model = model();
        List<String> encoder = MagnitudePruning.segments(model, MagnitudePruning.Tensors.ENCODER).stream()
                .map(MagnitudePruning.Segment::name).toList();
        List<String> expected = new java.util.ArrayList<>();
        for (Parameter p : model.parameters()) {
            if (p.name().startsWith("blocks.") && p.name().endsWith(".weight") && p.shape().length == 2) {
                expected.add(p.name());
            }
        }
        assertEquals(expected, encoder);
        assertEquals(4 * model.config().layers(), encoder.size(), encoder.toString());
        assertTrue(encoder.stream().allMatch(n -> n.matches("blocks\\.\\d+\\.\\w+\\.(qkv|out|in)\\.weight")), encoder.toString());

        List<String> withEmbeddings = MagnitudePruning.segments(model, MagnitudePruning.Tensors.ENCODER_AND_EMBEDDINGS)
                .stream().map(MagnitudePruning.Segment::name).toList();
        assertTrue(withEmbeddings.containsAll(encoder));
        assertTrue(withEmbeddings.contains("embeddings.token.weight"), withEmbeddings.toString());
        assertFalse(withEmbeddings.stream().anyMatch(n -> n.startsWith("head.")), withEmbeddings.toString());
        assertEquals(MagnitudePruning.segments(model), MagnitudePruning.segments(model, MagnitudePruning.Tensors.ALL));
        assertTrue(MagnitudePruning.segments(model).stream().anyMatch(s -> s.name().equals("head.classifier.weight")));

        float[] flat = model.parametersAsFloats();
        float[] original = flat.clone();
        List<MagnitudePruning.Segment> segments = MagnitudePruning.segments(model, MagnitudePruning.Tensors.ENCODER);
        MagnitudePruning.prune(flat, segments, 0.9, MagnitudePruning.Scope.GLOBAL);
        assertEquals(0.9, MagnitudePruning.overallSparsity(flat, segments), 1e-3);
        for (Parameter p : model.parameters()) {
            if (!encoder.contains(p.name())) {
                for (int i = (int) p.offset(); i < p.offset() + p.length(); i++) {
                    assertEquals(original[i], flat[i], 0f, p.name() + " is not pruned");
                }
            }
        }
        assertEquals("unknown pruned tensors 'embeddings' (supported: encoder, encoder_and_embeddings, all)",
                assertThrows(IllegalArgumentException.class, () -> MagnitudePruning.Tensors.parse("embeddings")).getMessage());
    }

    @Test
    void theEncoderChoiceKeepsABlocksLocalConvolutionDenseAndAllPrunesIt() {
        TransformerModel model = new TransformerModel(Batches.micro(Task.SEQUENCE_CLASSIFICATION, NormPlacement.PRE,
                AttentionMode.BIDIRECTIONAL).toBuilder().initStd(0.3).convolution(3).build());
        List<String> convolutions = model.parameters().stream().map(Parameter::name)
                .filter(n -> n.matches("blocks\\.\\d+\\.conv\\.weight")).toList();
        assertEquals(model.config().layers(), convolutions.size(), convolutions.toString());
        for (MagnitudePruning.Tensors t : List.of(MagnitudePruning.Tensors.ENCODER,
                MagnitudePruning.Tensors.ENCODER_AND_EMBEDDINGS)) {
            List<String> pruned = MagnitudePruning.segments(model, t).stream().map(MagnitudePruning.Segment::name).toList();
            assertEquals(4 * model.config().layers(), pruned.stream().filter(n -> n.startsWith("blocks.")).count(),
                    t.id() + ": " + pruned);
            assertTrue(pruned.stream().noneMatch(convolutions::contains), t.id() + ": " + pruned);
        }
        List<String> all = MagnitudePruning.segments(model, MagnitudePruning.Tensors.ALL).stream()
                .map(MagnitudePruning.Segment::name).toList();
        assertTrue(all.containsAll(convolutions), all.toString());
    }

    @Test
    void globalPruningZeroesTheSmallestMagnitudesOfTheWeightMatricesOnly() {
        TransformerModel model = model();
        model.namedParameters().get("blocks.0.ln1.beta").assign(0.001);
        float[] flat = model.parametersAsFloats();
        List<MagnitudePruning.Segment> segments = MagnitudePruning.segments(model);

        MagnitudePruning.prune(flat, segments, 0.7, MagnitudePruning.Scope.GLOBAL);

        int n = segments.stream().mapToInt(MagnitudePruning.Segment::length).sum();
        assertEquals(Math.floor(0.7 * n) / n, MagnitudePruning.overallSparsity(flat, segments), 1e-12);
        float largestPruned = 0;
        float smallestKept = Float.MAX_VALUE;
        float[] original = model.parametersAsFloats();
        for (MagnitudePruning.Segment s : segments) {
            for (int i = s.offset(); i < s.offset() + s.length(); i++) {
                if (flat[i] == 0) {
                    largestPruned = Math.max(largestPruned, Math.abs(original[i]));
                } else {
                    smallestKept = Math.min(smallestKept, Math.abs(flat[i]));
                }
            }
        }
        assertTrue(largestPruned <= smallestKept, largestPruned + " pruned, " + smallestKept + " kept");
        for (Parameter p : model.parameters()) {
            if (!p.decayed()) {
                for (int i = (int) p.offset(); i < p.offset() + p.length(); i++) {
                    assertEquals(original[i], flat[i], 0f, p.name() + " is not pruned");
                }
            }
        }
        assertTrue(segments.stream().anyMatch(s -> s.name().equals("embeddings.token.weight")));
        assertFalse(segments.stream().anyMatch(s -> s.name().endsWith(".bias")));
    }

    @Test
    void perLayerPruningReachesTheShareInEveryMatrix() {
        TransformerModel model = model();
        float[] flat = model.parametersAsFloats();
        List<MagnitudePruning.Segment> segments = MagnitudePruning.segments(model);

        MagnitudePruning.prune(flat, segments, 0.5, MagnitudePruning.Scope.LAYER);

        double[] perSegment = MagnitudePruning.sparsity(flat, segments);
        for (int k = 0; k < segments.size(); k++) {
            assertEquals(Math.floor(0.5 * segments.get(k).length()) / segments.get(k).length(), perSegment[k], 1e-12,
                    segments.get(k).name());
        }
    }

    @Test
    void zerosKeptFromARoundBeforeStayZeroAndCountTowardsTheShare() {
        TransformerModel model = model();
        List<MagnitudePruning.Segment> segments = MagnitudePruning.segments(model);
        float[] before = model.parametersAsFloats();
        MagnitudePruning.prune(before, segments, 0.5, MagnitudePruning.Scope.GLOBAL);
        float[] after = before.clone();
        for (int i = 0; i < after.length; i++) {
            after[i] += 0.5f;      // training moved every weight, pruned ones included
        }

        MagnitudePruning.keepZeros(after, before, segments);
        MagnitudePruning.prune(after, segments, 0.5, MagnitudePruning.Scope.GLOBAL);

        for (MagnitudePruning.Segment s : segments) {
            for (int i = s.offset(); i < s.offset() + s.length(); i++) {
                assertEquals(before[i] == 0, after[i] == 0, s.name() + " element " + i);
            }
        }
    }

    @Test
    void cubicScheduleRisesFastThenFlattensAtTheFinalShare() {
        SparsitySchedule schedule = new SparsitySchedule(0.9, 3, 11, 2);

        assertEquals(0.0, schedule.sparsityAt(2));
        assertEquals(0.0, schedule.sparsityAt(3));
        assertEquals(0.9 * (1 - 0.125), schedule.sparsityAt(7), 1e-12, "half way: 7/8 of the final share");
        assertEquals(0.9, schedule.sparsityAt(11));
        assertEquals(0.9, schedule.sparsityAt(40));
        assertTrue(schedule.prunesAt(3) && schedule.prunesAt(5) && !schedule.prunesAt(6) && schedule.prunesAt(11)
                && schedule.prunesAt(12));
        assertFalse(schedule.prunesAt(2));
        assertEquals("sparsity 1.0 is outside [0, 1)",
                assertThrows(IllegalArgumentException.class, () -> new SparsitySchedule(1.0, 1, 2, 1)).getMessage());
        assertEquals("sparsity -0.1 is outside [0, 1)", assertThrows(IllegalArgumentException.class,
                () -> MagnitudePruning.prune(new float[1], List.of(), -0.1, MagnitudePruning.Scope.LAYER)).getMessage());
    }
}
