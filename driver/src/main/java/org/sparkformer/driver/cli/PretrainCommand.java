package org.sparkformer.driver.cli;

import picocli.CommandLine.Command;

/** {@code sparkformer pretrain}: masked-LM pretraining on data.corpusPath. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain an encoder with masked-LM on data.corpusPath; writes a model directory and checkpoints.")
final class PretrainCommand extends JobCommand {
}
