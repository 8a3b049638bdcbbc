package org.sparkformer.bench;

import org.sparkformer.data.batch.BatchConfig;
import org.sparkformer.data.batch.BatchPosition;
import org.sparkformer.data.batch.DocumentPacker;
import org.sparkformer.data.batch.EncodedSequence;
import org.sparkformer.data.batch.MiniBatchIterator;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.tokenize.BasicTokenizer;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.data.tokenize.VocabularyTrainer;
import org.sparkformer.kernels.batch.MiniBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Data-pipeline throughput on one thread, as one executor core runs it: WordPiece tokenization and packing of a
 * plain-text corpus into pretraining sequences ({@link DocumentPacker}), then masked-LM minibatches
 * ({@link MiniBatchIterator}, BERT masking) over them. The vocabulary is trained once, untimed, from the corpus's
 * word counts; reading the file is not timed either.
 */
public final class PipelineProbe {

    private final Path corpus;
    private final BenchPreset preset;
    private final BenchPlan plan;

    public PipelineProbe(Path corpus, BenchPreset preset, BenchPlan plan) {
        this.corpus = corpus;
        this.preset = preset;
        this.plan = plan;
    }

    /**
     * Pipeline figures.
     *
     * @param tokenizeSeconds   tokenizing and packing the corpus, per pass
     * @param batchSeconds      building every masked-LM minibatch of the packed sequences, per pass
     * @param tokensPerPass     tokens in the packed sequences ([CLS]/[SEP] included, padding not)
     * @param lines             corpus lines used
     * @param vocabularySize    tokens in the trained vocabulary
     * @param vocabularySeconds time to train the vocabulary (once)
     */
    public record Figures(Samples tokenizeSeconds, Samples batchSeconds, long tokensPerPass, int lines, int vocabularySize,
                          double vocabularySeconds) {

        /** Tokens per second through tokenization, packing and batching together (median pass times). */
        public double tokensPerSecond() {
            return tokensPerPass / (tokenizeSeconds.median() + batchSeconds.median());
        }

        public double tokenizeTokensPerSecond() {
            return tokensPerPass / tokenizeSeconds.median();
        }

        public double batchTokensPerSecond() {
            return tokensPerPass / batchSeconds.median();
        }
    }

    public Figures measure() {
        List<String> lines = readLines();
        List<Document> documents = documents(lines);
        long v0 = System.nanoTime();
        Vocabulary vocabulary = trainVocabulary(lines);
        double vocabularySeconds = (System.nanoTime() - v0) / 1e9;
        DocumentPacker packer = new DocumentPacker(BertTokenizer.uncased(vocabulary), preset.seqLen());
        BatchConfig batches = BatchConfig.maskedLm(preset.batch());
        long tokens = 0;
        int passes = plan.pipelinePasses();
        double[] tokenize = new double[passes];
        double[] batch = new double[passes];
        for (int pass = -1; pass < passes; pass++) {
            long t0 = System.nanoTime();
            List<EncodedSequence> sequences = new ArrayList<>();
            for (Document d : documents) {
                sequences.addAll(packer.pack(d));
            }
            long t1 = System.nanoTime();
            long batchTokens = consume(new MiniBatchIterator(sequences, batches, vocabulary, 17L + pass, 0,
                    BatchPosition.start(), 1));
            long t2 = System.nanoTime();
            tokens = sequences.stream().mapToLong(EncodedSequence::length).sum();
            if (batchTokens != tokens) {
                throw new IllegalStateException("minibatches hold " + batchTokens + " real tokens, the sequences " + tokens);
            }
            if (pass >= 0) {
                tokenize[pass] = (t1 - t0) / 1e9;
                batch[pass] = (t2 - t1) / 1e9;
            }
        }
        return new Figures(Samples.of(tokenize), Samples.of(batch), tokens, lines.size(), vocabulary.size(),
                vocabularySeconds);
    }

    private static long consume(MiniBatchIterator it) {
        long real = 0;
        while (it.hasNext()) {
            MiniBatch b = it.next();
            real += b.realTokens();
        }
        return real;
    }

    private List<String> readLines() {
        try {
            List<String> all = Files.readAllLines(corpus, StandardCharsets.UTF_8);
            return plan.corpusLines() > 0 && plan.corpusLines() < all.size() ? all.subList(0, plan.corpusLines()) : all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark corpus " + corpus + ": " + e.getMessage(), e);
        }
    }

    /** Documents as the text corpus reader forms them: runs of non-blank lines separated by blank lines. */
    private List<Document> documents(List<String> lines) {
        List<Document> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int start = 1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    out.add(new Document(corpus.toString(), start, current));
                    current = new ArrayList<>();
                }
                start = i + 2;
            } else {
                current.add(line);
            }
        }
        if (!current.isEmpty()) {
            out.add(new Document(corpus.toString(), start, current));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the benchmark corpus " + corpus + " has no text");
        }
        return out;
    }

    private Vocabulary trainVocabulary(List<String> lines) {
        BasicTokenizer basic = BasicTokenizer.uncased();
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            for (String word : basic.tokenize(line)) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        return VocabularyTrainer.of(basic, preset.model().vocabSize()).build(counts);
    }
}
