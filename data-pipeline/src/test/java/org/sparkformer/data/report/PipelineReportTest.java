package org.sparkformer.data.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.SparkTestSupport;
import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.Objective;
import org.sparkformer.data.batch.SequenceBuilder;
import org.sparkformer.data.shard.ShardedSequences;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.CorpusReader;
import org.sparkformer.data.source.CorpusSpec;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledSpec;
import org.sparkformer.data.source.LabelledTextReader;
import org.sparkformer.data.source.ReadOptions;
import org.sparkformer.data.source.ReadResult;
import org.sparkformer.data.source.TrainingSplit;
import org.sparkformer.data.tokenize.BasicTokenizer;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.data.tokenize.VocabularyTrainer;

/** The sample WordNet data end to end: corpus to sharded pretraining sequences, labelled rows to classification. */
class PipelineReportTest {

    @TempDir
    Path dir;

    @Test
    void sampleCorpusBecomesShardedSequencesAndAReportWrittenAtomically() throws Exception {
        String corpus = SparkTestSupport.sampleData().resolve("corpus.txt").toString();
        ReadResult<Document> read = CorpusReader.read(SparkTestSupport.spark(), CorpusSpec.text(corpus), ReadOptions.of(BadRecordPolicy.SKIP));
        Vocabulary vocab = VocabularyTrainer.of(BasicTokenizer.uncased(), 2000)
                .train(read.records().flatMap(d -> d.sentences().iterator()));
        JavaRDD<EncodedSequence> sequences = SequenceBuilder.pretraining(read.records(), BertTokenizer.uncased(vocab), 64);
        ShardedSequences sharded = ShardedSequences.shard(sequences, 2, 1);
        BatchConfig config = BatchConfig.maskedLm(16).withBucketing(10);
        SequenceStatistics stats = SequenceStatistics.of(sharded.rdd(), vocab.unkId());
        DataReport report = DataReport.of(read.records().count(), stats, read.skippedByReason(), null,
                sharded.paddingFraction(config, 1));
        assertEquals(1, report.documents(), "no blank lines: the corpus file is one document");
        assertEquals(sharded.count(), report.sequences());
        assertEquals(0, report.unknownTokens());
        assertTrue(report.sequences() > 1000 && report.tokens() > 64_000, report.summary());
        assertTrue(report.paddingFraction() < 0.1, report.summary());
        String path = dir.resolve("report.json").toString();
        report.write(path, SparkTestSupport.hadoopConf());
        JsonNode json = new ObjectMapper().readTree(Files.readString(Path.of(path)));
        assertEquals(report.sequences(), json.get("sequences").asLong());
        assertEquals(List.of("report.json"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
        sharded.unpersist();
    }

    @Test
    void labelledSampleReportsLabelDistributionAndTruncation() {
        String train = SparkTestSupport.sampleData().resolve("pos.train.tsv").toString();
        TrainingSplit split = new TrainingSplit(LabelledTextReader.read(SparkTestSupport.spark(),
                LabelledSpec.labelTabText(train), ReadOptions.of(BadRecordPolicy.FAIL)));
        LabelSet labels = split.inferLabels();
        assertEquals(List.of("adj", "adv", "noun", "verb"), labels.labels().subList(0, 4));
        Vocabulary vocab = VocabularyTrainer.of(BasicTokenizer.uncased(), 1500).train(split.records().map(t -> t.text()));
        ReadResult<EncodedSequence> encoded = SequenceBuilder.sequenceClassification(split.records(),
                BertTokenizer.uncased(vocab), labels, 16, BadRecordPolicy.FAIL);
        SequenceStatistics stats = SequenceStatistics.of(encoded.records(), vocab.unkId());
        DataReport report = DataReport.of(split.records().count(), stats, encoded.skippedByReason(), labels, 0.2);
        assertEquals(5873, report.sequences());
        assertEquals(5873, report.labelDistribution().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(report.truncated() > 0 && report.truncated() < report.sequences(), report.summary());
        assertTrue(report.summary().contains("5,873 documents -> 5,873 sequences"), report.summary());
        assertTrue(report.toJson().contains("\"noun\""));
    }
}
