package org.sparkformer.data.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.sparkformer.data.source.AtomicFiles;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.LabelSet;

/**
 * The data of one job in numbers.
 *
 * @param documents         documents (or labelled rows, or tagged sentences) read
 * @param sequences         encoded sequences
 * @param tokens            tokens in the sequences, [CLS]/[SEP] included
 * @param unknownTokens     [UNK] tokens
 * @param truncated         sequences cut to the maximum length (pretraining: holding part of a split sentence)
 * @param skipped           skipped records by reason (reasons with zero left out)
 * @param labelDistribution examples per label name (sequence labels, or tagged words per tag)
 * @param paddingFraction   share of padded cells in the minibatches of one epoch
 */
public record DataReport(long documents, long sequences, long tokens, long unknownTokens, long truncated,
                         Map<String, Long> skipped, Map<String, Long> labelDistribution, double paddingFraction) {

    public DataReport {
        skipped = Map.copyOf(skipped);
        labelDistribution = Map.copyOf(labelDistribution);
    }

    /** A report from sequence statistics, skipped counts and (for labelled data, else null) the label set. */
    public static DataReport of(long documents, SequenceStatistics stats, Map<BadRecordReason, Long> skipped,
                                LabelSet labels, double paddingFraction) {
        Map<String, Long> skippedByName = new TreeMap<>();
        skipped.forEach((reason, n) -> {
            if (n > 0) {
                skippedByName.put(reason.name().toLowerCase(Locale.ROOT), n);
            }
        });
        Map<String, Long> distribution = new TreeMap<>();
        if (labels != null) {
            stats.labelCounts().forEach((id, n) -> distribution.put(labels.label(id), n));
        }
        return new DataReport(documents, stats.sequences(), stats.tokens(), stats.unknownTokens(), stats.truncated(),
                skippedByName, distribution, paddingFraction);
    }

    public double unknownTokenRate() {
        return tokens == 0 ? 0 : (double) unknownTokens / tokens;
    }

    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        ObjectNode root = mapper.createObjectNode();
        root.put("documents", documents);
        root.put("sequences", sequences);
        root.put("tokens", tokens);
        root.put("unknownTokens", unknownTokens);
        root.put("unknownTokenRate", unknownTokenRate());
        root.put("truncated", truncated);
        root.put("skippedTotal", skippedTotal());
        root.set("skipped", mapper.valueToTree(new TreeMap<>(skipped)));
        root.set("labelDistribution", mapper.valueToTree(new TreeMap<>(labelDistribution)));
        root.put("paddingFraction", paddingFraction);
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render data report", e);
        }
    }

    /** A few lines for people. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%,d documents -> %,d sequences, %,d tokens (%.3f%% unknown), %,d truncated%n",
                documents, sequences, tokens, 100 * unknownTokenRate(), truncated));
        s.append(String.format(Locale.ROOT, "padding: %.1f%% of minibatch cells%n", 100 * paddingFraction));
        s.append(skipped.isEmpty() ? "skipped: none\n" : "skipped: " + new TreeMap<>(skipped) + "\n");
        if (!labelDistribution.isEmpty()) {
            s.append("labels: ").append(new TreeMap<>(labelDistribution)).append('\n');
        }
        return s.toString();
    }

    /** Writes {@link #toJson()} to {@code path} atomically. */
    public void write(String path, Configuration conf) {
        AtomicFiles.writeText(path, toJson(), conf);
    }
}
