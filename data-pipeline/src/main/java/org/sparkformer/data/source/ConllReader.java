package org.sparkformer.data.source;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Reads CoNLL-style token-tagged text into {@link TaggedSentence}s. A line with too few columns or an empty word or
 * tag makes its whole sentence a bad record ({@link BadRecordReason#MALFORMED_CONLL}, reported at that line, counted
 * once per sentence), since a sentence with a missing word would mislabel the rest.
 */
public final class ConllReader {

    private ConllReader() {
    }

    public static ReadResult<TaggedSentence> read(SparkSession spark, ConllSpec spec, ReadOptions options) {
        return TextFiles.read(spark, spec.paths(), options, (lines, policy) -> sentences(lines, policy, spec));
    }

    /** The sentences {@code spec} names, counted on this JVM without Spark and up to {@code limit} (see {@link TextFiles#countUpTo}). */
    public static long countUpTo(ConllSpec spec, ReadOptions options, Configuration conf, long limit) {
        return TextFiles.countUpTo(spec.paths(), conf, options, (lines, policy) -> sentences(lines, policy, spec), limit);
    }

    static Iterator<Outcome<TaggedSentence>> sentences(Iterator<Outcome<Line>> lines, BadRecordPolicy policy, ConllSpec spec) {
        return new LineRecords<>(lines) {
            private final List<String> words = new ArrayList<>();
            private final List<String> tags = new ArrayList<>();
            private String file;
            private long firstLine;
            private BadRecord malformed;

            @Override
            protected Outcome<TaggedSentence> onLine(Line line) {
                if (line.isBlank()) {
                    return words.isEmpty() && malformed == null ? null : emit();
                }
                if (!isIgnored(line.text())) {
                    add(line);
                }
                return null;
            }

            @Override
            protected Outcome<TaggedSentence> atEnd() {
                return words.isEmpty() && malformed == null ? null : emit();
            }

            private void add(Line line) {
                String[] fields = spec.tabSeparated() ? line.text().split("\t", -1) : line.text().strip().split("\\s+");
                int tagColumn = spec.tagColumn() < 0 ? fields.length - 1 : spec.tagColumn();
                int needed = Math.max(spec.wordColumn(), Math.max(tagColumn, 1)) + 1;
                String problem = null;
                if (fields.length < needed) {
                    problem = fields.length + " column(s), need at least " + needed;
                } else if (fields[spec.wordColumn()].isBlank() || fields[tagColumn].isBlank()) {
                    problem = "empty " + (fields[spec.wordColumn()].isBlank() ? "word" : "tag");
                }
                if (words.isEmpty() && malformed == null) {
                    file = line.file();
                    firstLine = line.number();
                }
                if (problem != null) {
                    if (malformed == null) {
                        malformed = line.bad(BadRecordReason.MALFORMED_CONLL, problem + " in '" + line.text() + "'");
                        if (policy == BadRecordPolicy.FAIL) {
                            throw malformed.toException();
                        }
                    }
                } else {
                    words.add(fields[spec.wordColumn()].strip());
                    tags.add(fields[tagColumn].strip());
                }
            }

            private Outcome<TaggedSentence> emit() {
                Outcome<TaggedSentence> result = malformed != null ? Outcome.skipped(malformed)
                        : Outcome.good(new TaggedSentence(file, firstLine, words, tags));
                words.clear();
                tags.clear();
                malformed = null;
                return result;
            }
        };
    }

    private static boolean isIgnored(String text) {
        String t = text.strip();
        return t.startsWith("-DOCSTART-") || t.startsWith("#");
    }
}
