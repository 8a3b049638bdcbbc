package org.sparkformer.driver.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparkformer finetune}: classification on data.trainPath, optionally from a pretrained model. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a sequence or token classifier on data.trainPath, optionally starting from a pretrained model.")
final class FinetuneCommand extends JobCommand {

    @Option(names = "--model", paramLabel = "DIR", description = "Pretrained model directory to start from.")
    String model;

    @Override
    String model() {
        return model;
    }
}
