package org.sparkformer.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkformer.data.batch.SequenceBuilder;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.Column;
import org.sparkformer.data.source.ConllReader;
import org.sparkformer.data.source.ConllSpec;
import org.sparkformer.data.source.CorpusReader;
import org.sparkformer.data.source.CorpusSpec;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledFormat;
import org.sparkformer.data.source.LabelledSpec;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.LabelledTextReader;
import org.sparkformer.data.source.ReadOptions;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.source.TextFiles;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.modeldir.ModelDirectory;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.kernels.io.SafeTensors;
import org.sparkformer.kernels.io.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input table: malformed corpus, labelled, CoNLL, configuration, vocabulary and model-directory
 * inputs. Record-level inputs run under both policies: under skip the bad records are counted exactly
 * (records read + skipped = records in the input, else a silent drop), under fail the error names file,
 * line and problem. File-level inputs fail whatever the policy, naming the file and what is wrong.
 */
class BadInputTableTest {

    @RegisterExtension
    static final FaultLedger LEDGER = FaultLedger.forBadInputs();

    @TempDir
    static Path tmp;

    /** Reads a file under a policy; returns {records read, records skipped}. */
    @FunctionalInterface
    interface Reader {
        long[] read(Path file, BadRecordPolicy policy);
    }

    /**
     * @param records input records (documents, rows, sentences), bad ones included
     * @param skipped records counted as skipped under the skip policy
     * @param failure message fragment under the fail policy ({@code FILE} stands for the file name), or
     *                null when nothing in the input is a bad record
     */
    record RecordCase(String name, String fileName, byte[] content, Reader reader, long records, long skipped,
                      String failure) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> recordCases() throws IOException {
        byte[] gzipCut = truncatedGzip();
        String recovered = recoveredText(gzipCut);
        long linesBeforeCut = recovered.chars().filter(ch -> ch == '\n').count();
        long documentsBeforeCut = recovered.lines().filter(l -> !l.isBlank()).count()
                - (recovered.endsWith("\n") ? 0 : 1);
        List<RecordCase> cases = List.of(
                new RecordCase("corpus: invalid UTF-8", "utf8.txt",
                        bytes("good one\n\nba", new byte[] {(byte) 0xC3, 'd', '\n'}, "\nlast doc\n"), CORPUS, 3, 1,
                        "FILE:3: invalid UTF-8: malformed byte sequence at byte 2 of the line"),
                new RecordCase("corpus: truncated gzip", "cut.txt.gz", gzipCut, CORPUS, documentsBeforeCut + 1, 1,
                        "FILE:" + (linesBeforeCut + 1) + ": truncated compressed file: reading stopped after line "
                                + linesBeforeCut),
                new RecordCase("corpus: 1 MB single line", "long.txt",
                        bytes("short doc\n\n" + "x".repeat(1 << 20) + "\n\nlast doc\n"), CORPUS, 3, 1,
                        "FILE:3: line too long: more than 100000 characters"),
                new RecordCase("corpus: empty file", "empty.txt", new byte[0], CORPUS, 0, 0, null),
                new RecordCase("corpus jsonl: malformed JSON", "docs.jsonl",
                        bytes("{\"text\": \"fine\"}\n{\"text\": \"cut\n{\"text\": \"fine too\"}\n"), CORPUS_JSONL, 3, 1,
                        "FILE:2: malformed JSON"),
                new RecordCase("csv: header only", "header.csv", bytes("text,label\n"), CSV_WITH_HEADER, 0, 0, null),
                new RecordCase("csv: unclosed quote", "quote.csv",
                        bytes("text,label\nfine,a\n\"never closed,b\nfine too,a\n"), CSV_WITH_HEADER, 3, 1,
                        "FILE:3: malformed CSV line: unclosed quote"),
                new RecordCase("tsv: missing column", "columns.tsv", bytes("a\tone\nlabel only\nb\ttwo\n"), TSV, 3, 1,
                        "FILE:2: missing column: 1 fields, need at least 2"),
                new RecordCase("tsv: blank text", "blank.tsv", bytes("a\tone\nb\t   \nb\ttwo\n"), TSV, 3, 1,
                        "FILE:2: empty record: text is blank"),
                new RecordCase("tsv: invalid UTF-8", "utf8.tsv",
                        bytes("a\tone\nb\tt", new byte[] {(byte) 0xFF, 'o', '\n'}, "b\ttwo\n"), TSV, 3, 1,
                        "FILE:2: invalid UTF-8"),
                new RecordCase("tsv: unknown label", "labels.tsv", bytes("a\tone\nz\ttwo\nb\tthree\n"), LABELLED_AB, 3, 1,
                        "FILE:2: unknown label: label 'z' is not in the label set [a, b]"),
                new RecordCase("jsonl: missing label field", "rows.jsonl",
                        bytes("{\"text\": \"one\", \"label\": \"a\"}\n{\"text\": \"two\"}\n"), JSONL, 2, 1,
                        "FILE:2: missing column: no field 'label'"),
                new RecordCase("conll: malformed line", "tags.conll",
                        bytes("The\tDET\ncat\tNOUN\n\nA\tDET\nbroken\n\nRuns\tVERB\n"), CONLL, 3, 1,
                        "FILE:5: malformed CoNLL line: 1 column(s), need at least 2"),
                new RecordCase("conll: unknown tag", "unknown-tag.conll",
                        bytes("one\ta\ntwo\tb\n\nthree\tz\n"), CONLL_TAGS_AB, 2, 1,
                        "FILE:4: unknown label: label 'z' is not in the label set [a, b]"),
                new RecordCase("tsv: blank lines, a trailing one included", "blank-lines.tsv",
                        bytes("a\tone\n\nb\ttwo\n\n"), TSV, 2, 0, null),
                new RecordCase("tsv: a tab inside the text of the last column", "tab-in-text.tsv",
                        bytes("a\tone\tand more\nb\ttwo\n"), TSV_TEXTS, 2, 0, null),
                new RecordCase("tsv: a tab inside a text that is not the last column", "tab-text-first.tsv",
                        bytes("one\tand more\ta\ntwo\tb\n"), TSV_TEXT_FIRST, 2, 1,
                        "FILE:1: too many fields: 3 fields, the rows of this file have 2"),
                new RecordCase("jsonl: two objects on one line", "two.jsonl",
                        bytes("{\"text\": \"one\", \"label\": \"a\"}{\"text\": \"two\", \"label\": \"b\"}\n"
                                + "{\"text\": \"three\", \"label\": \"a\"}\n"), JSONL, 2, 1,
                        "FILE:1: malformed JSON: more after the object (a line holds one JSON object)"),
                new RecordCase("jsonl: trailing garbage after the object", "garbage.jsonl",
                        bytes("{\"text\": \"one\", \"label\": \"a\"} and then some\n{\"text\": \"two\", \"label\": \"b\"}\n"),
                        JSONL, 2, 1, "FILE:1: malformed JSON"),
                new RecordCase("jsonl: a number as the text", "number.jsonl",
                        bytes("{\"text\": 42, \"label\": \"a\"}\n{\"text\": \"two\", \"label\": \"b\"}\n"), JSONL, 2, 1,
                        "FILE:1: wrong type: field 'text' is number, not a string"),
                new RecordCase("jsonl: a boolean as the text", "boolean.jsonl",
                        bytes("{\"text\": true, \"label\": \"a\"}\n{\"text\": \"two\", \"label\": \"b\"}\n"), JSONL, 2, 1,
                        "FILE:1: wrong type: field 'text' is boolean, not a string"),
                new RecordCase("corpus jsonl: a number as the text", "number-docs.jsonl",
                        bytes("{\"text\": 3.5}\n{\"text\": \"fine\"}\n"), CORPUS_JSONL, 2, 1,
                        "FILE:1: wrong type: field 'text' is number, not a string"));
        List<Arguments> args = new ArrayList<>();
        for (RecordCase c : cases) {
            args.add(Arguments.of(c, BadRecordPolicy.SKIP));
            args.add(Arguments.of(c, BadRecordPolicy.FAIL));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("recordCases")
    void badRecordIsCountedUnderSkipAndNamedUnderFail(RecordCase c, BadRecordPolicy policy) throws IOException {
        Path file = tmp.resolve(policy.name().toLowerCase()).resolve(c.fileName());
        Files.createDirectories(file.getParent());
        Files.write(file, c.content());
        if (policy == BadRecordPolicy.SKIP || c.failure() == null) {
            long[] counts = c.reader().read(file, policy);
            boolean silent = FaultLedger.badInput(c.records(), counts[0], counts[1], false);
            assertEquals(c.skipped(), counts[1], "skipped");
            assertEquals(c.records(), counts[0] + counts[1], "every input record read or counted as skipped");
            assertFalse(silent);
        } else {
            Exception e = assertThrows(Exception.class, () -> c.reader().read(file, policy));
            FaultLedger.badInput(c.records(), 0, 0, true);
            String expected = c.failure().replace("FILE", file.toString());
            assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        }
    }

    /**
     * An empty file and a header-only file hold no records and no bad ones, so counts alone prove nothing: the
     * reader must say it found none, naming the file.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"an empty corpus, empty-again.txt, ''", "a header-only CSV, header-again.csv, 'text,label'"})
    void aFileWithoutRecordsIsReportedNamingIt(String name, String fileName, String content) throws IOException {
        Path file = tmp.resolve("reported").resolve(fileName);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content.isEmpty() ? "" : content + "\n");
        Reader reader = fileName.endsWith(".csv") ? CSV_WITH_HEADER : CORPUS;
        try (TestBed.CapturedLog log = TestBed.captureWarnings(TextFiles.class)) {
            long[] counts = reader.read(file, BadRecordPolicy.FAIL);

            assertEquals(0, counts[0] + counts[1]);
            assertTrue(log.messages().stream().anyMatch(m -> m.contains(fileName + ": no records (an empty file, or only a"
                    + " header or blank lines)")), "warned naming the file: " + log.messages());
        }
    }

    @org.junit.jupiter.api.Test
    void aSkippedRecordIsLoggedWithItsFileAndLine() throws IOException {
        Path file = tmp.resolve("logged").resolve("columns.tsv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "a\tone\nlabel only\nb\ttwo\n");
        try (TestBed.CapturedLog log = TestBed.captureWarnings("org.sparkformer.data.source.SkipLog")) {
            long[] counts = TSV.read(file, BadRecordPolicy.SKIP);

            assertEquals(1, counts[1]);
            assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("skipped ") && m.contains(
                    "columns.tsv:2: missing column: 1 fields, need at least 2")), "logged: " + log.messages());
        }
    }

    /** An input read as a whole: a configuration, a vocabulary, a model directory. */
    @FunctionalInterface
    interface Loader {
        void load(Path dir) throws Exception;
    }

    record FileCase(String name, Loader load, String failure) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FileCase> fileCases() {
        return Stream.of(
                new FileCase("config: unknown key", dir -> config("training:\n  epocs: 3\n"),
                        "unknown key training.epocs in bad.yaml line 2 (did you mean training.epochs?)"),
                new FileCase("config: wrong type", dir -> config("training:\n  epochs: three\n"),
                        "wrong type for training.epochs in bad.yaml line 2: expected"),
                new FileCase("config: dModel not divisible by heads",
                        dir -> config("model:\n  preset: custom\n  dModel: 100\n  heads: 3\n"),
                        "model.dModel 100 is not divisible by model.heads 3"),
                new FileCase("config: bad-record policy neither skip nor fail", dir -> config("data:\n  onBadRecord: ignore\n"),
                        "data.onBadRecord"),
                new FileCase("vocab: duplicate token", dir -> vocab(dir, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nw0\nw0\n"),
                        "vocab.txt:7: duplicate token 'w0' (first on line 6)"),
                new FileCase("vocab: [UNK] missing", dir -> vocab(dir, "[PAD]\n[CLS]\n[SEP]\n[MASK]\nw0\n"),
                        "vocab.txt: special token [UNK] is missing (needed: [PAD] [UNK] [CLS] [SEP] [MASK])"),
                new FileCase("vocab: empty file", dir -> vocab(dir, ""), "vocab.txt: vocabulary file is empty"),
                new FileCase("model: NaN in weights", dir -> model(dir, BadInputTableTest::poisonFirstTensor),
                        "model.safetensors: tensor FIRST holds NaN at index 3"),
                new FileCase("model: wrong tensor shape", dir -> model(dir, BadInputTableTest::transposeFirstMatrix),
                        "model.safetensors does not match the expected tensors: tensor MATRIX has shape"),
                new FileCase("model: huge declared safetensors header", dir -> model(dir, file -> replaceKeepingSize(file,
                                safetensors(1L << 40, "{}", new byte[0]))),
                        "model.safetensors: declared header length 1099511627776 bytes exceeds the maximum of 104857600 bytes"),
                new FileCase("model: path traversal in a tensor name", dir -> model(dir, file -> replaceKeepingSize(file,
                                safetensors(-1, "{\"../../outside\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                                        new byte[4]))),
                        "model.safetensors: unsafe tensor name \"../../outside\""),
                new FileCase("model: truncated weights", dir -> model(dir, file -> CheckpointResumeTest.truncate(file, 0.5)),
                        "F32 parameters config.json describes need"),
                new FileCase("model: bit flip under the checksum", dir -> modelWithoutRechecksum(dir,
                                file -> {
                                    CheckpointResumeTest.flipBit(file);
                                    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
                                }),
                        "checksum mismatch for model.safetensors: sha256 "),
                new FileCase("model: checksums.json missing", dir -> modelWithoutRechecksum(dir,
                                file -> Files.delete(file.resolveSibling(ModelDirectory.CHECKSUMS))),
                        "checksums.json is missing (incomplete or not written by Sparkformer)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileCases")
    void badFileIsRejectedNamingFileAndProblem(FileCase c) throws Exception {
        Path dir = tmp.resolve("files").resolve(c.name().replaceAll("[^a-z0-9]+", "-"));
        Files.createDirectories(dir);
        Exception e = assertThrows(Exception.class, () -> c.load().load(dir));
        FaultLedger.badInput(1, 0, 0, true);
        String expected = c.failure().replace("FIRST", firstTensorName()).replace("MATRIX", firstTensorName());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    // ------------------------------------------------------------------ readers

    private static final Reader CORPUS = (file, policy) -> counts(CorpusReader.read(TestBed.spark(),
            CorpusSpec.text(file.toString()), ReadOptions.of(policy)));

    private static final Reader CORPUS_JSONL = (file, policy) -> counts(CorpusReader.read(TestBed.spark(),
            new CorpusSpec(file.toString(), org.sparkformer.data.source.CorpusFormat.JSONL, "text"), ReadOptions.of(policy)));

    private static final Reader TSV = (file, policy) -> counts(LabelledTextReader.read(TestBed.spark(),
            LabelledSpec.labelTabText(file.toString()), ReadOptions.of(policy)));

    /** TSV read for its texts: counts, and the texts must be whole (a tab in the last column stays in the text). */
    private static final Reader TSV_TEXTS = (file, policy) -> {
        ReadResult<LabelledText> read = LabelledTextReader.read(TestBed.spark(), LabelledSpec.labelTabText(file.toString()),
                ReadOptions.of(policy));
        List<String> texts = read.records().map(LabelledText::text).collect();
        assertTrue(texts.contains("one\tand more"), "the text runs to the end of the line: " + texts);
        return counts(read);
    };

    private static final Reader TSV_TEXT_FIRST = (file, policy) -> counts(LabelledTextReader.read(TestBed.spark(),
            new LabelledSpec(file.toString(), LabelledFormat.TSV, false, Column.parse("0"), Column.parse("1")),
            ReadOptions.of(policy)));

    private static final Reader CSV_WITH_HEADER = (file, policy) -> counts(LabelledTextReader.read(TestBed.spark(),
            new LabelledSpec(file.toString(), LabelledFormat.CSV, true, Column.named("text"), Column.named("label")),
            ReadOptions.of(policy)));

    private static final Reader JSONL = (file, policy) -> counts(LabelledTextReader.read(TestBed.spark(),
            new LabelledSpec(file.toString(), LabelledFormat.JSONL, false, Column.named("text"), Column.named("label")),
            ReadOptions.of(policy)));

    private static final Reader CONLL = (file, policy) -> counts(ConllReader.read(TestBed.spark(),
            ConllSpec.of(file.toString()), ReadOptions.of(policy)));

    private static final LabelSet AB = new LabelSet(List.of("a", "b"));
    private static final BertTokenizer TOKENIZER = BertTokenizer.uncased(
            Vocabulary.withSpecialTokens(List.of("one", "two", "three")));

    private static final Reader LABELLED_AB = (file, policy) -> {
        ReadResult<LabelledText> read = LabelledTextReader.read(TestBed.spark(), LabelledSpec.labelTabText(file.toString()),
                ReadOptions.of(policy));
        long[] encoded = counts(SequenceBuilder.sequenceClassification(read.records(), TOKENIZER, AB, 16, policy));
        return new long[] {encoded[0], encoded[1] + read.skippedTotal()};
    };

    private static final Reader CONLL_TAGS_AB = (file, policy) -> {
        ReadResult<TaggedSentence> read = ConllReader.read(TestBed.spark(), ConllSpec.of(file.toString()), ReadOptions.of(policy));
        long[] encoded = counts(SequenceBuilder.tokenClassification(read.records(), TOKENIZER, AB, 16, policy));
        return new long[] {encoded[0], encoded[1] + read.skippedTotal()};
    };

    private static long[] counts(ReadResult<?> result) {
        try {
            return new long[] {result.records().count(), result.skippedTotal()};
        } finally {
            result.unpersist();
        }
    }

    // ------------------------------------------------------------------ loaders

    private static void config(String yaml) {
        new ConfigLoader().add(new ConfigLoader.Source("bad.yaml", yaml)).build();
    }

    private static void vocab(Path dir, String content) throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Vocabulary.load(file.toString(), TestBed.localConf());
    }

    /** Writes a tiny model, changes its weights file, re-checksums so the change passes verification, loads it. */
    private static void model(Path dir, Loader changeWeights) throws Exception {
        FileSystem fs = FileSystem.getLocal(TestBed.localConf());
        Path model = dir.resolve("model");
        TestBed.writeTinyModel(fs, model);
        changeWeights.load(model.resolve(ModelDirectory.WEIGHTS));
        TestBed.rewriteChecksums(model);
        TrainedModel.load(fs, new org.apache.hadoop.fs.Path(model.toUri()));
    }

    /** As {@link #model}, without re-checksumming: the verification itself must catch the change. */
    private static void modelWithoutRechecksum(Path dir, Loader change) throws Exception {
        FileSystem fs = FileSystem.getLocal(TestBed.localConf());
        Path model = dir.resolve("model");
        TestBed.writeTinyModel(fs, model);
        change.load(model.resolve(ModelDirectory.WEIGHTS));
        TrainedModel.load(fs, new org.apache.hadoop.fs.Path(model.toUri()));
    }

    /** Name of the tensor whose data starts at offset 0 of a tiny model's weights. */
    private static String firstTensorName() {
        return TrainedModel.expectedShapes(TestBed.tinyMaskedLm(TestBed.tinyConfig(null))).keySet().iterator().next();
    }

    private static void poisonFirstTensor(Path weights) throws IOException {
        byte[] bytes = Files.readAllBytes(weights);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = b.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        long begin = header.get(firstTensorName()).get("data_offsets").get(0).asLong();
        b.putFloat((int) (8 + headerLength + begin + 3 * 4), Float.NaN);
        Files.write(weights, bytes);
    }

    private static void transposeFirstMatrix(Path weights) throws IOException {
        List<Tensor> tensors;
        try (InputStream in = Files.newInputStream(weights)) {
            tensors = new ArrayList<>(SafeTensors.read(in, Files.size(weights), null).tensors());
        }
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.name().equals(firstTensorName())) {
                tensors.set(i, new Tensor(t.name(), new long[] {t.shape()[1], t.shape()[0]}, t.data()));
            }
        }
        try (OutputStream out = Files.newOutputStream(weights)) {
            SafeTensors.write(out, tensors, Map.of());
        }
    }

    /** A safetensors file: the header length ({@code declared}, or the real one when negative), header, data. */
    private static byte[] safetensors(long declared, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declared < 0 ? h.length : declared).put(h).put(data);
        return b.array();
    }

    // ------------------------------------------------------------------ content

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof byte[] raw ? raw : p.toString().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** 2000 one-line documents, gzipped, cut in the middle. */
    private static byte[] truncatedGzip() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("document number ").append(i).append(" with a few words\n\n");
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        return java.util.Arrays.copyOf(whole, whole.length / 2);
    }

    /** What a truncated gzip still yields, decompressed independently of the readers. */
    private static String recoveredText(byte[] gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException expected) {
            // the cut
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code content} over {@code file} and pads it with zeros to the size it had, so the size that config.json
     * implies is met and the safetensors header itself is what gets checked.
     */
    private static void replaceKeepingSize(Path file, byte[] content) throws IOException {
        long size = Files.size(file);
        Files.write(file, content);
        Files.write(file, new byte[(int) Math.max(0, size - content.length)], java.nio.file.StandardOpenOption.APPEND);
    }

}
