package org.sparkformer.bench.quality;

import org.sparkformer.data.source.TaggedSentence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of the protocol under a budget, with their inputs prepared in the run's directory: WordNet lexname and
 * pos (the embedded sample or the full data), UD EWT upos and ppos (the first N training sentences as the labelled
 * set, the whole training text as the pretraining corpus, and the shuffled test split of the order test). A data set
 * that is not there is left out with the reason in {@link #missing()}.
 */
final class QualityProtocol {

    private final List<QualityTask> tasks = new ArrayList<>();
    private final List<String> missing = new ArrayList<>();

    /**
     * @param repo    the source tree (conf/ and the embedded sample)
     * @param data    the directory holding wordnet/ and ud-ewt/
     * @param work    the run's directory; prepared inputs go to work/inputs
     * @param jobSeed seed of the word shuffles
     */
    QualityProtocol(QualityBudget budget, Path repo, Path data, Path work, long jobSeed) {
        Path ud = data.resolve("ud-ewt");
        if (Files.isDirectory(ud)) {
            addUd(budget, ud, work.resolve("inputs/ud-ewt"), jobSeed);
        } else {
            missing.add("ud-ewt: no directory " + ud + " (give the data directory with --data)");
        }
        Path wordnet = budget.wordnetSample() ? repo.resolve("conf/sample-data/wordnet") : data.resolve("wordnet");
        if (Files.isDirectory(wordnet)) {
            addWordnet(budget, repo, wordnet);
        } else {
            missing.add("wordnet: no directory " + wordnet + " (give the data directory with --data)");
        }
    }

    List<QualityTask> tasks() {
        return tasks;
    }

    List<String> missing() {
        return missing;
    }

    private void addWordnet(QualityBudget budget, Path repo, Path dir) {
        String corpus = dir.resolve("corpus.txt").toString();
        var pretraining = new QualityTask.Pretraining("wordnet", List.of(repo.resolve("conf/wordnet-pretrain.yaml").toString()),
                List.of("data.corpusPath=" + corpus, "training.epochs=" + budget.wordnetPretrainEpochs()));
        for (String name : List.of("lexname", "pos")) {
            List<String> settings = List.of(
                    "data.trainPath=" + dir.resolve(name + ".train.tsv"),
                    "data.validationPath=" + dir.resolve(name + ".dev.tsv"),
                    "data.testPath=" + dir.resolve(name + ".test.tsv"),
                    "data.corpusPath=" + corpus,
                    "training.epochs=" + budget.wordnetFinetuneEpochs(),
                    "training.earlyStoppingPatience=" + budget.patience());
            tasks.add(new QualityTask(name, false, List.of(repo.resolve("conf/wordnet-" + name + ".yaml").toString()), settings,
                    null, pretraining));
        }
    }

    private void addUd(QualityBudget budget, Path dir, Path inputs, long jobSeed) {
        Path corpus = inputs.resolve("corpus.txt");
        ConllFile.writeCorpus(corpus, ConllFile.read(dir.resolve("upos.train.conll")));
        // a cased encoder, as the taggers fine-tuned from fresh weights are (data.lowercase follows data.task there)
        var pretraining = new QualityTask.Pretraining("ud-ewt", List.of(),
                List.of("data.corpusPath=" + corpus, "data.lowercase=false", "training.epochs=" + budget.udPretrainEpochs()));
        WordShuffle shuffle = new WordShuffle(jobSeed);
        for (String name : List.of("upos", "ppos")) {
            Path train = dir.resolve(name + ".train.conll");
            if (budget.udTrainSentences() > 0) {
                List<TaggedSentence> all = ConllFile.read(train);
                train = inputs.resolve(name + ".train-" + budget.udTrainSentences() + ".conll");
                ConllFile.write(train, all.subList(0, Math.min(budget.udTrainSentences(), all.size())));
            }
            Path test = dir.resolve(name + ".test.conll");
            Path shuffled = inputs.resolve(name + ".test.shuffled.conll");
            ConllFile.write(shuffled, shuffle.shuffleAll(ConllFile.read(test)));
            // a slice of the training split may lack a tag that dev or test holds (ppos: XX, in one test word): those
            // sentences are skipped and counted (skippedRecords in metrics.json) rather than failing the run
            String onBadRecord = budget.udTrainSentences() > 0 ? "skip" : "fail";
            List<String> settings = List.of(
                    "data.format=conll",
                    "data.task=token",
                    "data.onBadRecord=" + onBadRecord,
                    "data.trainPath=" + train,
                    "data.validationPath=" + dir.resolve(name + ".dev.conll"),
                    "data.testPath=" + test,
                    "data.corpusPath=" + corpus,
                    "training.epochs=" + budget.udFinetuneEpochs(),
                    "training.earlyStoppingPatience=" + budget.patience());
            tasks.add(new QualityTask(name, true, List.of(), settings, shuffled.toString(), pretraining));
        }
    }
}
