package org.sparkformer.data.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.sparkformer.data.SparkTestSupport;

class VocabularyTrainerTest {

    @Test
    void trainingOnSampleCorpusGivesExactSizeDeterministically() throws Exception {
        List<String> lines = Files.readAllLines(SparkTestSupport.sampleData().resolve("corpus.txt")).subList(0, 3000);
        JavaRDD<String> texts = JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext()).parallelize(lines, 2);
        VocabularyTrainer trainer = VocabularyTrainer.of(BasicTokenizer.uncased(), 1000);
        Vocabulary first = trainer.train(texts);
        Vocabulary second = trainer.train(texts.repartition(3));
        assertEquals(1000, first.size());
        assertEquals(first.tokens(), second.tokens());
        assertEquals(Vocabulary.SPECIAL_TOKENS, first.tokens().subList(0, 5));
        assertTrue(first.contains("the"), "frequent word becomes a token");
        List<String> tokens = BertTokenizer.uncased(first).tokenize("the animals");
        assertTrue(!tokens.contains("[UNK]"), "every character is covered: " + tokens);
    }

    @Test
    void mergesFollowPairCountsWithLexicographicTies() {
        VocabularyTrainer trainer = VocabularyTrainer.of(BasicTokenizer.uncased(), 5 + 4 + 2);
        // alphabet: a, b, ##a, ##b ; pairs: (a,##b) x3, (b,##a) x3 -> tie, "ab" < "ba" merged first
        Vocabulary v = trainer.build(Map.of("ab", 3L, "ba", 3L));
        assertEquals(List.of("##a", "##b", "a", "b", "ab", "ba"), v.tokens().subList(5, 11));
    }

    @Test
    void casedVocabularyKeepsCapitalsApartThroughTrainingSavingAndTokenizing() {
        BasicTokenizer cased = BasicTokenizer.cased();
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String word : cased.tokenize("The dog saw the Dog . the dog")) {
            counts.merge(word, 1L, Long::sum);
        }
        Vocabulary trained = VocabularyTrainer.of(cased, 40).build(counts);
        Vocabulary reread = Vocabulary.parse((String.join("\n", trained.tokens()) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "vocab.txt");
        assertEquals(trained.tokens(), reread.tokens());
        BertTokenizer tokenizer = new BertTokenizer(reread, cased);
        assertEquals(List.of("The", "dog", "the", "Dog"), tokenizer.tokenize("The dog the Dog"));
        List<Integer> ids = tokenizer.encode("Dog dog").stream().boxed().toList();
        assertEquals(List.of(reread.id("Dog"), reread.id("dog")), ids);
        assertTrue(reread.id("Dog") != reread.id("dog"));
    }

    @Test
    void smallSizeKeepsMostFrequentCharacters() {
        Vocabulary v = VocabularyTrainer.of(BasicTokenizer.uncased(), 7).build(Map.of("xy", 5L, "z", 1L));
        assertEquals(List.of("##y", "x"), v.tokens().subList(5, 7));
    }
}
