package org.sparkformer.driver.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A toy tagging task where context decides: each sentence is a context word and an ambiguous word ("book", "run",
 * ...) that is a NOUN after a determiner and a VERB after a pronoun. Every ambiguous word is a noun
 * as often as a verb, so a most-frequent-tag baseline gets half of them wrong; the held-out sentences pair context
 * and ambiguous words in combinations the training sentences never show.
 */
final class ToyTagging {

    private static final String[] DETERMINERS = {"the", "a", "this", "that"};
    private static final String[] PRONOUNS = {"we", "they", "you", "i"};
    private static final String[] AMBIGUOUS = {"book", "run", "play", "walk", "watch", "cook"};

    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("words", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType, false), false);

    private ToyTagging() {
    }

    /**
     * Sentences whose (context, word) pair is one the training split has ({@code heldOut} false: 32 sentences) or not
     * (true: 16), each {@code copies} times.
     */
    static Dataset<Row> dataFrame(SparkSession spark, boolean heldOut, int copies) {
        List<Row> rows = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            for (int c = 0; c < DETERMINERS.length; c++) {
                for (int w = 0; w < AMBIGUOUS.length; w++) {
                    if (((c + w) % 3 == 0) == heldOut) {
                        rows.add(RowFactory.create((long) rows.size(), new String[]{DETERMINERS[c], AMBIGUOUS[w]},
                                new String[]{"DET", "NOUN"}));
                        rows.add(RowFactory.create((long) rows.size(), new String[]{PRONOUNS[c], AMBIGUOUS[w]},
                                new String[]{"PRON", "VERB"}));
                    }
                }
            }
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * The share of {@code scored}'s words (column {@code tags}) a most-frequent-tag baseline fitted on {@code train}
     * tags right: each word's most frequent training tag (ties to the alphabetically first), the most frequent tag
     * overall for a word training never saw.
     */
    static double mostFrequentTagAccuracy(Dataset<Row> train, Dataset<Row> scored) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        Map<String, Integer> overall = new HashMap<>();
        for (Row r : train.collectAsList()) {
            List<String> words = r.getList(r.fieldIndex("words"));
            List<String> tags = r.getList(r.fieldIndex("tags"));
            for (int i = 0; i < words.size(); i++) {
                counts.computeIfAbsent(words.get(i), k -> new HashMap<>()).merge(tags.get(i), 1, Integer::sum);
                overall.merge(tags.get(i), 1, Integer::sum);
            }
        }
        String fallback = best(overall);
        long right = 0;
        long total = 0;
        for (Row r : scored.collectAsList()) {
            List<String> words = r.getList(r.fieldIndex("words"));
            List<String> tags = r.getList(r.fieldIndex("tags"));
            for (int i = 0; i < words.size(); i++) {
                Map<String, Integer> seen = counts.get(words.get(i));
                right += (seen == null ? fallback : best(seen)).equals(tags.get(i)) ? 1 : 0;
                total++;
            }
        }
        return right / (double) total;
    }

    private static String best(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .findFirst().orElseThrow().getKey();
    }
}
