package org.sparkformer.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkformer.data.SparkTestSupport;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.EvaluationSplit;
import org.sparkformer.data.source.LabelledSpec;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.LabelledTextReader;
import org.sparkformer.data.source.ReadOptions;
import org.sparkformer.data.source.TrainingSplit;

class AugmentationTest {

    static final String WORDNET_NOUN = """
              1 This software and database is being provided to you, the LICENSEE, by
              2 Princeton University under the following license.
            00001740 03 n 02 entity 0 thing 0 001 ~ 00001930 n 0000 | that which is perceived
            02084071 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 000 | a member of the genus Canis
            """;
    static final String WORDNET_ADJ = "00001740 00 a 02 big(a) 0 large 0 000 | above average in size\n";

    @TempDir
    Path dir;

    @Test
    void wordNetSynsetLinesGiveSortedSynonyms() throws Exception {
        WordNetSynonyms synonyms = WordNetSynonyms.load(writeWordNet().toString(), SparkTestSupport.hadoopConf());
        assertEquals(List.of("canis familiaris", "domestic dog"), synonyms.of("Dog"));
        assertEquals(List.of("large"), synonyms.of("big"));
        assertEquals(List.of(), synonyms.of("cat"));
    }

    @Test
    void augmentationIsDeterministicForTheSameSeedAndDiffersForAnother() throws Exception {
        WordNetSynonyms synonyms = WordNetSynonyms.load(writeWordNet().toString(), SparkTestSupport.hadoopConf());
        String text = "the big dog chased a thing across the wide green field today";
        EdaAugmenter a = new EdaAugmenter(new AugmentationConfig(0.2, 0.2, 0.2, 0.2, 3, 42, null), synonyms);
        EdaAugmenter b = new EdaAugmenter(new AugmentationConfig(0.2, 0.2, 0.2, 0.2, 3, 42, null), synonyms);
        EdaAugmenter c = new EdaAugmenter(new AugmentationConfig(0.2, 0.2, 0.2, 0.2, 3, 43, null), synonyms);
        List<String> first = a.augment(text, 7);
        assertEquals(3, first.size());
        assertEquals(first, b.augment(text, 7));
        assertNotEquals(first, c.augment(text, 7));
        assertNotEquals(first, a.augment(text, 8));
        assertTrue(first.stream().noneMatch(text::equals), "every copy is changed: " + first);
    }

    @Test
    void onlyTheTrainingSplitGrowsAndEvaluationRowsStayAsRead() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            rows.append(i % 2 == 0 ? "animal" : "thing").append("\tthe big dog number ").append(i).append(" sat there\n");
        }
        Path train = SparkTestSupport.write(dir.resolve("train.tsv"), rows.toString());
        Path dev = SparkTestSupport.write(dir.resolve("dev.tsv"), rows.toString());
        ReadOptions options = ReadOptions.of(BadRecordPolicy.FAIL);
        TrainingSplit training = new TrainingSplit(LabelledTextReader.read(SparkTestSupport.spark(), LabelledSpec.labelTabText(train.toString()), options));
        EvaluationSplit validation = new EvaluationSplit(LabelledTextReader.read(SparkTestSupport.spark(), LabelledSpec.labelTabText(dev.toString()), options));
        AugmentationConfig config = new AugmentationConfig(0.1, 0.1, 0.1, 0.1, 2, 5, writeWordNet().toString());
        TrainingSplit augmented = TrainingAugmentation.apply(training, config, SparkTestSupport.hadoopConf());
        List<LabelledText> augmentedRows = augmented.records().collect();
        assertEquals(60, augmentedRows.size());
        assertEquals(augmentedRows, TrainingAugmentation.apply(training, config, SparkTestSupport.hadoopConf()).records().collect());
        assertEquals(20, validation.records().count());
        assertEquals(validation.records().collect(), validation.read().records().collect());
        assertEquals(training.inferLabels(), augmented.inferLabels());
        assertEquals(20, TrainingAugmentation.apply(training, AugmentationConfig.off(), SparkTestSupport.hadoopConf()).records().count());
    }

    private Path writeWordNet() throws Exception {
        Path wn = dir.resolve("wordnet");
        SparkTestSupport.write(wn.resolve("data.noun"), WORDNET_NOUN);
        SparkTestSupport.write(wn.resolve("data.adj"), WORDNET_ADJ);
        return wn;
    }
}
