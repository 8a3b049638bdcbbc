package org.sparkformer.data.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.SparkTestSupport;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.SequenceBuilder;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;

/** Each kind of bad input: counted exactly under skip, a message naming file and line under fail. */
class BadRecordsTest {

    @TempDir
    Path dir;

    final SparkSession spark = SparkTestSupport.spark();

    /** Reads under skip and under fail; checks the skip counts, the number of good records and the fail message. */
    private <T> void check(Function<ReadOptions, ReadResult<T>> read, ReadOptions skipOptions, BadRecordReason reason,
                           long expectedSkipped, long expectedGood, String expectedMessage) {
        ReadResult<T> skipped = read.apply(skipOptions);
        Map<BadRecordReason, Long> counts = skipped.skippedByReason();
        assertEquals(expectedSkipped, counts.get(reason), "skipped as " + reason + ": " + counts);
        assertEquals(expectedSkipped, skipped.skippedTotal(), "no other reason: " + counts);
        assertEquals(expectedGood, skipped.records().count());
        ReadOptions failOptions = new ReadOptions(skipOptions.maxLineChars(), BadRecordPolicy.FAIL);
        Exception e = assertThrows(Exception.class, () -> read.apply(failOptions).records().count());
        assertTrue(e.getMessage().contains(expectedMessage), "message names file and line: " + e.getMessage());
        BadRecordException cause = BadRecordException.findIn(e);
        assertEquals(reason, cause.reason());
    }

    private static ReadOptions skip() {
        return ReadOptions.of(BadRecordPolicy.SKIP);
    }

    private Function<ReadOptions, ReadResult<Document>> corpus(Path file) {
        return options -> CorpusReader.read(spark, CorpusSpec.text(file.toString()), options);
    }

    private Function<ReadOptions, ReadResult<LabelledText>> tsv(Path file) {
        return options -> LabelledTextReader.read(spark, LabelledSpec.labelTabText(file.toString()), options);
    }

    @Test
    void invalidUtf8IsCountedOrNamed() throws Exception {
        Path file = dir.resolve("bad-utf8.txt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("good line\n".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {'b', 'a', (byte) 0xC3, 'd', '\n'});
        bytes.write("\nnext document\n".getBytes(StandardCharsets.UTF_8));
        SparkTestSupport.writeBytes(file, bytes.toByteArray());
        check(corpus(file), skip(), BadRecordReason.INVALID_UTF8, 1, 2, file.toUri().getPath() + ":2: invalid UTF-8");
    }

    @Test
    void overLongLineIsCountedOrNamed() throws Exception {
        Path file = dir.resolve("long.txt");
        SparkTestSupport.write(file, "short\n" + "x".repeat(21) + "\n" + "y".repeat(20) + "\n" + "é".repeat(30) + "\n");
        check(corpus(file), skip().withMaxLineChars(20), BadRecordReason.LINE_TOO_LONG, 2, 1,
                "long.txt:2: line too long: 21 characters, more than 20");
        List<Document> docs = corpus(file).apply(skip().withMaxLineChars(20)).records().collect();
        assertEquals(List.of("short", "y".repeat(20)), docs.get(0).sentences());
    }

    @Test
    void emptyRecordIsCountedOrNamed() throws Exception {
        Path file = dir.resolve("empty.tsv");
        SparkTestSupport.write(file, "a\tone\n\nb\t  \nc\tthree\n");
        // the blank line is no record at all; the blank text on line 3 is a bad one
        check(tsv(file), skip(), BadRecordReason.EMPTY_RECORD, 1, 2, "empty.tsv:3: empty record: text is blank");
    }

    @Test
    void missingColumnIsCountedOrNamed() throws Exception {
        Path file = dir.resolve("columns.tsv");
        SparkTestSupport.write(file, "a\tone\nlabel only\nc\tthree\n");
        check(tsv(file), skip(), BadRecordReason.MISSING_COLUMN, 1, 2, "columns.tsv:2: missing column: 1 fields, need at least 2");
    }

    @Test
    void malformedJsonIsCountedOrNamed() throws Exception {
        Path file = dir.resolve("rows.jsonl");
        SparkTestSupport.write(file, "{\"text\": \"ok\", \"label\": \"a\"}\n{\"text\": \"broken\n{\"text\": \"ok too\", \"label\": \"b\"}\n");
        Function<ReadOptions, ReadResult<LabelledText>> read = options -> LabelledTextReader.read(spark,
                new LabelledSpec(file.toString(), LabelledFormat.JSONL, false, Column.named("text"), Column.named("label")), options);
        check(read, skip(), BadRecordReason.MALFORMED_JSON, 1, 2, "rows.jsonl:2: malformed JSON");
    }

    @Test
    void malformedConllLineSkipsItsSentenceOrIsNamed() throws Exception {
        Path file = dir.resolve("tags.conll");
        SparkTestSupport.write(file, "The\tDET\ncat\tNOUN\n\nA\tDET\nbroken\n\nRuns\tVERB\n");
        Function<ReadOptions, ReadResult<TaggedSentence>> read = options -> ConllReader.read(spark, ConllSpec.of(file.toString()), options);
        check(read, skip(), BadRecordReason.MALFORMED_CONLL, 1, 2, "tags.conll:5: malformed CoNLL line: 1 column(s), need at least 2");
    }

    @Test
    void truncatedGzipIsCountedOrNamed() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("label\tline number ").append(i).append(" with some words\n");
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        Path file = dir.resolve("cut.tsv.gz");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        ReadResult<LabelledText> read = tsv(file).apply(skip());
        assertEquals(1L, read.skippedByReason().get(BadRecordReason.TRUNCATED_FILE));
        long good = read.records().count();
        assertTrue(good > 0 && good < 2000, "lines before the cut are kept: " + good);
        Exception e = assertThrows(Exception.class, () -> tsv(file).apply(ReadOptions.of(BadRecordPolicy.FAIL)).records().count());
        assertTrue(e.getMessage().contains("cut.tsv.gz:" + (good + 1) + ": truncated compressed file"), e.getMessage());
    }

    @Test
    void unknownLabelIsCountedOrNamed() throws Exception {
        Path file = dir.resolve("labels.tsv");
        SparkTestSupport.write(file, "a\tone\nz\ttwo\nb\tthree\n");
        LabelSet labels = new LabelSet(List.of("a", "b"));
        BertTokenizer tokenizer = BertTokenizer.uncased(Vocabulary.withSpecialTokens(List.of("one", "two", "three")));
        Function<ReadOptions, ReadResult<EncodedSequence>> encode = options -> SequenceBuilder.sequenceClassification(
                tsv(file).apply(options).records(), tokenizer, labels, 16, options.policy());
        check(encode, skip(), BadRecordReason.UNKNOWN_LABEL, 1, 2, "labels.tsv:2: unknown label: label 'z' is not in the label set");
    }

    @Test
    void missingHeaderColumnFailsWhateverThePolicy() throws Exception {
        Path file = dir.resolve("header.csv");
        SparkTestSupport.write(file, "sentence,label\nhello,a\n");
        LabelledSpec spec = new LabelledSpec(file.toString(), LabelledFormat.CSV, true, Column.named("text"), Column.named("label"));
        Exception e = assertThrows(Exception.class, () -> LabelledTextReader.read(spark, spec, skip()).records().count());
        assertTrue(e.getMessage().contains("header.csv:1: missing column: header has no column 'text' (columns: sentence, label)"),
                e.getMessage());
    }

    @Test
    void missingInputPathIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CorpusReader.read(spark, CorpusSpec.text(dir.resolve("nothing-here").toString()), skip()));
        assertTrue(e.getMessage().contains("nothing-here' does not exist"), e.getMessage());
    }
}
