package org.sparkformer.driver.compression;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparkformer.kernels.compress.MagnitudePruning;
import org.sparkformer.kernels.compress.StoredWeight;
import org.sparkformer.kernels.compress.StructuredPruning;
import org.sparkformer.kernels.config.TransformerConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a compression did and cost: the recipe, the figures of the model before and after ({@link ModelFigures}),
 * the heads and neurons each block kept, and the sparsity and storage of every weight matrix. Written as JSON, as a
 * plain-text table and as an HTML page with a chart.
 *
 * @param model       the source model directory
 * @param compressed  the compressed model directory
 * @param validation  the labelled data the accuracy figures are on
 * @param recipe      what was applied
 * @param before      the source model's figures
 * @param after       the compressed model's figures
 * @param blocks      per block, what it kept
 * @param matrices    per weight matrix of the compressed model, its sparsity and storage
 * @param timedPasses passes over the timing batches per model, interleaved between the two
 */
public record CompressionReport(String model, String compressed, String validation, CompressionRecipe recipe,
                                ModelFigures before, ModelFigures after, List<Block> blocks, List<Matrix> matrices,
                                int timedPasses) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One block's structure before and after.
     *
     * @param index        the block
     * @param heads        heads before
     * @param keptHeads    the heads kept, by their index before
     * @param ffnWidth     feed-forward width before
     * @param keptNeurons  feed-forward neurons kept
     */
    public record Block(int index, int heads, int[] keptHeads, int ffnWidth, int keptNeurons) {

        /** The heads removed, by their index before. */
        public int[] removedHeads() {
            return java.util.stream.IntStream.range(0, heads).filter(h -> Arrays.binarySearch(keptHeads, h) < 0).toArray();
        }
    }

    /**
     * One weight matrix of the compressed model.
     *
     * @param name     the parameter
     * @param shape    its shape
     * @param sparsity the share of its elements that are zero
     * @param storage  how it is stored ("fp32 dense" when plain)
     */
    public record Matrix(String name, long[] shape, double sparsity, String storage) {
    }

    /** The blocks of {@code before} with what {@code kept} kept (everything when it is null). */
    public static List<Block> blocks(TransformerConfig before, StructuredPruning.Kept kept) {
        List<Block> blocks = new ArrayList<>();
        for (int b = 0; b < before.layers(); b++) {
            int heads = before.headsIn(b);
            int[] keptHeads = kept == null ? java.util.stream.IntStream.range(0, heads).toArray() : kept.heads()[b];
            int neurons = kept == null ? before.dFfIn(b) : kept.neurons()[b].length;
            blocks.add(new Block(b, heads, keptHeads, before.dFfIn(b), neurons));
        }
        return blocks;
    }

    /** Every weight matrix of {@code compressed} with its sparsity and storage. */
    public static List<Matrix> matrices(CompressedModel compressed) {
        var model = compressed.model().build();
        float[] params = compressed.model().params();
        List<MagnitudePruning.Segment> segments = MagnitudePruning.segments(model);
        double[] sparsity = MagnitudePruning.sparsity(params, segments);
        Map<String, StoredWeight> stored = compressed.storage().weights();
        List<Matrix> matrices = new ArrayList<>();
        for (int k = 0; k < segments.size(); k++) {
            String name = segments.get(k).name();
            StoredWeight w = stored.get(name);
            matrices.add(new Matrix(name, model.namedParameters().get(name).shape(), sparsity[k],
                    w == null ? "fp32 dense" : w.format().id() + (w.sparse() ? " bitmask" : " dense")));
        }
        return matrices;
    }

    public double sizeRatio() {
        return before.fileBytes() / (double) after.fileBytes();
    }

    public double speedup() {
        return after.tokensPerSecond() / before.tokensPerSecond();
    }

    /** Accuracy after minus before, in points. */
    public double accuracyChange() {
        return 100 * (after.accuracy() - before.accuracy());
    }

    // ---------------------------------------------------------------- JSON

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.put("compressed", compressed);
        root.put("validation", validation);
        ObjectNode r = root.putObject("recipe");
        r.put("heads", recipe.headShare());
        r.put("ffn", recipe.ffnShare());
        r.put("importance", recipe.importance().id());
        r.put("sparsity", recipe.sparsity());
        r.put("sparsityTensors", recipe.tensors().id());
        r.put("sparsityScope", recipe.scope().id());
        r.put("quantize", recipe.format().id());
        r.put("description", recipe.describe());
        root.set("before", before.toJson());
        root.set("after", after.toJson());
        ObjectNode change = root.putObject("change");
        change.put("fileSizeRatio", sizeRatio());
        change.put("speedup", speedup());
        change.put("accuracyPoints", accuracyChange());
        change.put("macroF1Points", 100 * (after.macroF1() - before.macroF1()));
        change.put("timedPasses", timedPasses);
        ArrayNode bs = root.putArray("blocks");
        for (Block b : blocks) {
            ObjectNode n = bs.addObject();
            n.put("block", b.index());
            n.put("heads", b.heads());
            ArrayNode kept = n.putArray("keptHeads");
            Arrays.stream(b.keptHeads()).forEach(kept::add);
            ArrayNode removed = n.putArray("removedHeads");
            Arrays.stream(b.removedHeads()).forEach(removed::add);
            n.put("ffnWidth", b.ffnWidth());
            n.put("keptNeurons", b.keptNeurons());
            n.put("removedNeurons", b.ffnWidth() - b.keptNeurons());
        }
        ArrayNode ms = root.putArray("matrices");
        for (Matrix m : matrices) {
            ObjectNode n = ms.addObject();
            n.put("name", m.name());
            ArrayNode shape = n.putArray("shape");
            Arrays.stream(m.shape()).forEach(shape::add);
            n.put("sparsity", m.sparsity());
            n.put("storage", m.storage());
        }
        return root;
    }

    public String toJsonText() {
        try {
            return JSON.writeValueAsString(toJson()) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the compression report", e);
        }
    }

    // ---------------------------------------------------------------- table

    /** The report as a plain-text table. */
    public String toTable() {
        StringBuilder s = new StringBuilder();
        s.append("compression of ").append(model).append('\n');
        s.append("recipe: ").append(recipe.describe()).append('\n');
        s.append("validation: ").append(validation).append(" (").append(after.examples()).append(" examples)\n\n");
        s.append(String.format(Locale.ROOT, "%-22s %14s %14s %10s%n", "", "before", "after", "change"));
        row(s, "model.safetensors", mb(before.fileBytes()), mb(after.fileBytes()), String.format(Locale.ROOT, "%.2fx smaller", sizeRatio()));
        row(s, "parameters", count(before.parameters()), count(after.parameters()),
                String.format(Locale.ROOT, "%.2fx", before.parameters() / (double) after.parameters()));
        row(s, "nonzero parameters", count(before.nonzeroParameters()), count(after.nonzeroParameters()),
                String.format(Locale.ROOT, "%.1f%% zero", 100 * (1 - after.nonzeroParameters() / (double) after.parameters())));
        row(s, "validation accuracy", pct(before.accuracy()), pct(after.accuracy()),
                String.format(Locale.ROOT, "%+.2f pt", accuracyChange()));
        row(s, "validation macro-F1", pct(before.macroF1()), pct(after.macroF1()),
                String.format(Locale.ROOT, "%+.2f pt", 100 * (after.macroF1() - before.macroF1())));
        row(s, "validation loss", String.format(Locale.ROOT, "%.4f", before.loss()), String.format(Locale.ROOT, "%.4f", after.loss()), "");
        row(s, "inference tokens/s", String.format(Locale.ROOT, "%,.0f", before.tokensPerSecond()),
                String.format(Locale.ROOT, "%,.0f", after.tokensPerSecond()), String.format(Locale.ROOT, "%.2fx", speedup()));
        s.append('\n').append(String.format(Locale.ROOT, "%-6s %-14s %-16s %-12s%n", "block", "heads", "removed heads", "ffn width"));
        for (Block b : blocks) {
            s.append(String.format(Locale.ROOT, "%-6d %-14s %-16s %-12s%n", b.index(), b.heads() + " -> " + b.keptHeads().length,
                    Arrays.toString(b.removedHeads()), b.ffnWidth() + " -> " + b.keptNeurons()));
        }
        s.append('\n').append(String.format(Locale.ROOT, "%-36s %-14s %9s  %s%n", "matrix", "shape", "sparsity", "storage"));
        for (Matrix m : matrices) {
            s.append(String.format(Locale.ROOT, "%-36s %-14s %8.1f%%  %s%n", m.name(), Arrays.toString(m.shape()),
                    100 * m.sparsity(), m.storage()));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String what, String before, String after, String change) {
        s.append(String.format(Locale.ROOT, "%-22s %14s %14s %10s%n", what, before, after, change));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.3f MB", bytes / 1e6);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    // ---------------------------------------------------------------- HTML

    /** The report as a self-contained HTML page: a bar chart of before against after, then the tables. */
    public String toHtml() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Compression report</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#eee}</style>")
                .append("</head><body>\n<h1>Compression report</h1>\n<p>")
                .append(escape(model)).append(" &rarr; ").append(escape(compressed)).append("<br>recipe: ")
                .append(escape(recipe.describe())).append("<br>validation: ").append(escape(validation)).append("</p>\n");
        h.append(chart()).append('\n');
        h.append("<h2>Before and after</h2>\n<pre>").append(escape(toTable())).append("</pre>\n</body></html>\n");
        return h.toString();
    }

    /** Bars of after relative to before (before = 100%) for size, nonzero parameters, accuracy and throughput. */
    private String chart() {
        String[] names = {"file size", "nonzero parameters", "validation accuracy", "macro-F1", "tokens/s"};
        double[] ratios = {after.fileBytes() / (double) before.fileBytes(),
                after.nonzeroParameters() / (double) before.nonzeroParameters(), after.accuracy() / before.accuracy(),
                before.macroF1() == 0 ? 0 : after.macroF1() / before.macroF1(), speedup()};
        double max = Math.max(1.0, Arrays.stream(ratios).max().orElse(1.0));
        int width = 420;
        int barHeight = 22;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">",
                180 + width + 80, 20 + names.length * (barHeight + 10)));
        double full = width / max;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" "
                + "stroke-dasharray=\"4\"/>", 180 + full, 180 + full, names.length * (barHeight + 10)));
        for (int i = 0; i < names.length; i++) {
            int y = 5 + i * (barHeight + 10);
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"13\">%s</text>", y + 16, names[i]));
            svg.append(String.format(Locale.ROOT, "<rect x=\"180\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#4a7bd0\"/>",
                    y, ratios[i] * full, barHeight));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%.0f%%</text>",
                    184 + ratios[i] * full, y + 16, 100 * ratios[i]));
        }
        return "<h2>After, as a share of before (dashed line: 100%)</h2>\n" + svg.append("</svg>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
