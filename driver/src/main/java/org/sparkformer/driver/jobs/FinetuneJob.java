package org.sparkformer.driver.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.api.FineTuneResult;
import org.sparkformer.driver.api.FineTuner;
import org.sparkformer.driver.config.DataSection;
import org.sparkformer.driver.modeldir.TrainedModel;
import org.sparkformer.driver.report.JobReport;

/**
 * {@code sparkformer finetune}: a classifier on data.trainPath (from {@code --model}, a pretrained model
 * directory, when given) into {@code <output>/model}, with the rounds' figures in history.csv and the report (with the
 * classifier's figures on the validation split, when there is one) in report.html.
 */
public final class FinetuneJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(FinetuneJob.class);

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobOutputs out = new JobOutputs(context);
        FineTuner tuner = new FineTuner(context.spark(), context.request().config())
                .setCheckpoints(out.checkpointSettings());
        if (context.request().model() != null) {
            Path dir = new Path(context.request().model());
            FileSystem fs = dir.getFileSystem(context.spark().sparkContext().hadoopConfiguration());
            tuner.setPretrained(TrainedModel.load(fs, dir), fs.makeQualified(dir).toString());
        }
        FineTuneResult result = tuner.fit();
        out.writeReport(result.report());
        DataSection data = context.request().config().data();
        result.model().saveHoldingLock(context.outputFs(), out.model(), result.metrics(),
                out.provenance(data.trainPath(), data.validationPath()), result.outcome().trainingState(), context.request().resume());
        out.writeHistory(result.history());
        out.writeJobReport(JobReport.training(name(), result.metrics(), result.history(), result.validation(),
                data.validationPath()));
        LOG.info("fine-tuned model written to {} ({})", out.model(), result.metrics());
    }
}
