package org.sparkformer.driver.modeldir;

import org.sparkformer.kernels.config.NormPlacement;
import org.sparkformer.kernels.config.PositionalEncoding;
import org.sparkformer.kernels.config.Task;
import org.sparkformer.kernels.config.TransformerConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a model of a configuration has, names and shapes, worked out from the configuration alone, so a model
 * directory's weights can be checked before anything is allocated (building the model to ask it would allocate its
 * whole parameter buffer first). The layout mirrors the worker kernels' model; a test compares the two.
 */
final class ModelShapes {

    private ModelShapes() {
    }

    /** Tensor name to shape, in parameter order. */
    static Map<String, long[]> of(TransformerConfig c) {
        long v = c.vocabSize();
        long d = c.dModel();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embeddings.token.weight", new long[] {v, d});
        if (c.positional() == PositionalEncoding.LEARNED) {
            shapes.put("embeddings.position.weight", new long[] {c.maxLength(), d});
        }
        if (c.embeddingNorm()) {
            layerNorm(shapes, "embeddings.norm", d);
        }
        for (int i = 0; i < c.layers(); i++) {
            String b = "blocks." + i;
            long a = attentionWidth(c, i);
            long f = c.dFfIn(i);
            layerNorm(shapes, b + ".ln1", d);
            linear(shapes, b + ".attention.qkv", d, 3 * a);
            linear(shapes, b + ".attention.out", a, d);
            if (c.convolution() > 0) {
                shapes.put(b + ".conv.weight", new long[] {c.convolution(), d});
                shapes.put(b + ".conv.bias", new long[] {d});
            }
            layerNorm(shapes, b + ".ln2", d);
            linear(shapes, b + ".ffn.in", d, f);
            linear(shapes, b + ".ffn.out", f, d);
        }
        if (c.norm() == NormPlacement.PRE) {
            layerNorm(shapes, "final_ln", d);
        }
        if (c.task() == Task.MASKED_LM || c.task() == Task.CAUSAL_LM) {
            linear(shapes, "head.mlm.transform", d, d);
            layerNorm(shapes, "head.mlm.ln", d);
            if (!c.tieEmbeddings()) {
                shapes.put("head.mlm.decoder.weight", new long[] {v, d});
            }
            shapes.put("head.mlm.bias", new long[] {v});
            if (c.detectsReplacedTokens()) {
                linear(shapes, "head.rtd", d, 2);
            }
        } else {
            linear(shapes, "head.classifier", d, c.numLabels());
        }
        return shapes;
    }

    /** Values in all tensors of a model of {@code c}, without building the map of names (exact, overflow-checked). */
    static long parameterCount(TransformerConfig c) {
        long v = c.vocabSize();
        long d = c.dModel();
        long n = Math.multiplyExact(v, d);
        if (c.positional() == PositionalEncoding.LEARNED) {
            n = Math.addExact(n, Math.multiplyExact((long) c.maxLength(), d));
        }
        if (c.embeddingNorm()) {
            n = Math.addExact(n, 2 * d);
        }
        for (int i = 0; i < c.layers(); i++) {
            long a = attentionWidth(c, i);
            long f = c.dFfIn(i);
            long perBlock = Math.addExact(Math.addExact(4 * d, Math.multiplyExact(3 * a, d + 1)),
                    Math.addExact(Math.multiplyExact(d, a + 1), Math.addExact(Math.multiplyExact(f, d + 1),
                            Math.multiplyExact(d, f + 1))));
            n = Math.addExact(n, Math.addExact(perBlock, c.convolution() > 0 ? (c.convolution() + 1L) * d : 0));
        }
        if (c.norm() == NormPlacement.PRE) {
            n = Math.addExact(n, 2 * d);
        }
        if (c.task() == Task.MASKED_LM || c.task() == Task.CAUSAL_LM) {
            n = Math.addExact(n, Math.addExact(Math.multiplyExact(d, d + 1), 2 * d));
            if (!c.tieEmbeddings()) {
                n = Math.addExact(n, Math.multiplyExact(v, d));
            }
            n = Math.addExact(n, v);
            if (c.detectsReplacedTokens()) {
                n = Math.addExact(n, 2 * (d + 1));
            }
        } else {
            n = Math.addExact(n, Math.multiplyExact((long) c.numLabels(), d + 1));
        }
        return n;
    }

    /** Width of block {@code i}'s attention: its heads times the head width ({@code dModel} when none was pruned). */
    private static long attentionWidth(TransformerConfig c, int i) {
        return (long) c.headsIn(i) * c.headSize();
    }

    private static void linear(Map<String, long[]> shapes, String name, long in, long out) {
        shapes.put(name + ".weight", new long[] {out, in});
        shapes.put(name + ".bias", new long[] {out});
    }

    private static void layerNorm(Map<String, long[]> shapes, String name, long width) {
        shapes.put(name + ".gamma", new long[] {width});
        shapes.put(name + ".beta", new long[] {width});
    }
}
