package org.sparkformer.data.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.SparkTestSupport;

class InputFormatsTest {

    static final List<String[]> ROWS = List.of(
            new String[] {"the cat sat, \"quietly\"", "animal"},
            new String[] {"a tree grows", "plant"},
            new String[] {"ünïcödé text 中国", "other"},
            new String[] {"dogs bark", "animal"});

    @TempDir
    static Path dir;
    static String hdfs;

    @BeforeAll
    static void writeInputs() throws Exception {
        StringBuilder tsv = new StringBuilder();
        StringBuilder csv = new StringBuilder("id,text,label\n");
        StringBuilder jsonl = new StringBuilder();
        StringBuilder corpus = new StringBuilder();
        StringBuilder corpusJson = new StringBuilder();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS.size(); i++) {
            String text = ROWS.get(i)[0];
            String label = ROWS.get(i)[1];
            tsv.append(label).append('\t').append(text).append('\n');
            csv.append(i).append(",\"").append(text.replace("\"", "\"\"")).append("\",").append(label).append('\n');
            jsonl.append("{\"text\": \"").append(text.replace("\"", "\\\"")).append("\", \"label\": \"").append(label).append("\"}\n");
            corpus.append(text).append("\n").append(label).append("\n\n");
            corpusJson.append("{\"body\": \"").append(text.replace("\"", "\\\"")).append("\\n").append(label).append("\"}\n");
            rows.add(RowFactory.create(text, label, text + "\n" + label));
        }
        SparkTestSupport.write(dir.resolve("tsv/part-1.tsv"), tsv.substring(0, tsv.indexOf("plant") + 19));
        SparkTestSupport.write(dir.resolve("tsv/part-2.tsv"), tsv.substring(tsv.indexOf("plant") + 19));
        SparkTestSupport.write(dir.resolve("tsv/_SUCCESS"), "");
        SparkTestSupport.writeGzip(dir.resolve("gz/all.tsv.gz"), tsv.toString());
        SparkTestSupport.write(dir.resolve("labelled.csv"), csv.toString());
        SparkTestSupport.write(dir.resolve("labelled.jsonl"), jsonl.toString());
        SparkTestSupport.write(dir.resolve("corpus/a.txt"), corpus.toString());
        SparkTestSupport.write(dir.resolve("corpus.jsonl"), corpusJson.toString());
        SparkSession spark = SparkTestSupport.spark();
        StructType schema = new StructType().add("text", DataTypes.StringType).add("label", DataTypes.StringType)
                .add("body", DataTypes.StringType);
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        frame.coalesce(1).write().parquet(dir.resolve("parquet").toString());
        hdfs = SparkTestSupport.startHdfs(dir.resolve("hdfs-base"));
        SparkTestSupport.copyToHdfs(dir.resolve("tsv"), hdfs + "/in/tsv");
        SparkTestSupport.copyToHdfs(dir.resolve("gz"), hdfs + "/in/gz");
        SparkTestSupport.copyToHdfs(dir.resolve("corpus"), hdfs + "/in/corpus");
        SparkTestSupport.copyToHdfs(dir.resolve("parquet"), hdfs + "/in/parquet");
    }

    @AfterAll
    static void stopHdfs() {
        SparkTestSupport.stopHdfs();
    }

    static List<String> expected() {
        return ROWS.stream().map(r -> r[1] + "|" + r[0].strip()).sorted().toList();
    }

    static List<String> labelled(String paths, LabelledFormat format, boolean header, Column text, Column label) {
        ReadResult<LabelledText> read = LabelledTextReader.read(SparkTestSupport.spark(),
                new LabelledSpec(paths, format, header, text, label), ReadOptions.of(BadRecordPolicy.FAIL));
        assertEquals(0, read.skippedTotal());
        return read.records().map(t -> t.label() + "|" + t.text()).collect().stream().sorted().toList();
    }

    static List<String> corpus(String paths, CorpusFormat format, String column) {
        return CorpusReader.read(SparkTestSupport.spark(), new CorpusSpec(paths, format, column), ReadOptions.of(BadRecordPolicy.FAIL))
                .records().map(d -> d.sentences().get(1) + "|" + d.sentences().get(0)).collect().stream().sorted().toList();
    }

    @Test
    void everyLabelledFormatReadsTheSameRecords() {
        assertEquals(expected(), labelled(dir.resolve("tsv").toString(), LabelledFormat.TSV, false, Column.at(1), Column.at(0)));
        assertEquals(expected(), labelled(dir.resolve("labelled.csv").toString(), LabelledFormat.CSV, true, Column.named("text"), Column.named("label")));
        assertEquals(expected(), labelled(dir.resolve("labelled.jsonl").toString(), LabelledFormat.JSONL, false, Column.named("text"), Column.named("label")));
        assertEquals(expected(), labelled(dir.resolve("parquet").toString(), LabelledFormat.PARQUET, false, Column.named("text"), Column.named("label")));
    }

    @Test
    void gzipGlobsAndCommaListsReadTheSameRecords() {
        assertEquals(expected(), labelled(dir.resolve("gz/all.tsv.gz").toString(), LabelledFormat.TSV, false, Column.at(1), Column.at(0)));
        assertEquals(expected(), labelled(dir.resolve("tsv").toString() + "/part-*.tsv", LabelledFormat.TSV, false, Column.at(1), Column.at(0)));
        assertEquals(expected(), labelled(dir.resolve("tsv/part-1.tsv") + "," + dir.resolve("tsv/part-2.tsv"),
                LabelledFormat.TSV, false, Column.at(1), Column.at(0)));
    }

    @Test
    void everyCorpusFormatReadsTheSameDocuments() {
        assertEquals(expected(), corpus(dir.resolve("corpus").toString(), CorpusFormat.TEXT, null));
        assertEquals(expected(), corpus(dir.resolve("corpus.jsonl").toString(), CorpusFormat.JSONL, "body"));
        assertEquals(expected(), corpus(dir.resolve("parquet").toString(), CorpusFormat.PARQUET, "body"));
    }

    @Test
    void hdfsPathsReadTheSameRecordsWithProvenance() {
        assertEquals(expected(), labelled(hdfs + "/in/tsv", LabelledFormat.TSV, false, Column.at(1), Column.at(0)));
        assertEquals(expected(), labelled(hdfs + "/in/gz/*.gz", LabelledFormat.TSV, false, Column.at(1), Column.at(0)));
        assertEquals(expected(), corpus(hdfs + "/in/corpus", CorpusFormat.TEXT, null));
        assertEquals(expected(), corpus(hdfs + "/in/parquet", CorpusFormat.PARQUET, "body"));
        List<String> refs = CorpusReader.read(SparkTestSupport.spark(), CorpusSpec.text(hdfs + "/in/corpus"),
                ReadOptions.of(BadRecordPolicy.FAIL)).records().map(Document::sourceRef).collect();
        assertEquals(List.of(hdfs + "/in/corpus/a.txt:1", hdfs + "/in/corpus/a.txt:4", hdfs + "/in/corpus/a.txt:7",
                hdfs + "/in/corpus/a.txt:10"), refs);
    }

    @Test
    void parquetRowsCarryFileAndRowNumber() {
        List<Long> rows = LabelledTextReader.read(SparkTestSupport.spark(), new LabelledSpec(dir.resolve("parquet").toString(),
                        LabelledFormat.PARQUET, false, Column.named("text"), Column.named("label")), ReadOptions.of(BadRecordPolicy.FAIL))
                .records().map(LabelledText::line).collect();
        assertEquals(List.of(1L, 2L, 3L, 4L), rows.stream().sorted().collect(Collectors.toList()));
    }

    @Test
    void conllSentencesAreReadWithWordsTagsAndFirstLine() throws Exception {
        SparkTestSupport.write(dir.resolve("tags.conll"), "-DOCSTART- O\n\nThe\tx\tDET\ncat\tx\tNOUN\n\n# comment\nRuns\tx\tVERB\n");
        List<TaggedSentence> sentences = ConllReader.read(SparkTestSupport.spark(), ConllSpec.of(dir.resolve("tags.conll").toString()),
                ReadOptions.of(BadRecordPolicy.FAIL)).records().collect();
        assertEquals(2, sentences.size());
        assertEquals(List.of("The", "cat"), sentences.get(0).words());
        assertEquals(List.of("DET", "NOUN"), sentences.get(0).tags());
        assertEquals(3, sentences.get(0).line());
        assertEquals(List.of("VERB"), sentences.get(1).tags());
    }
}
