package org.sparkformer.driver.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkformer.driver.api.PretrainResult;
import org.sparkformer.driver.api.Pretrainer;
import org.sparkformer.driver.report.JobReport;

/**
 * {@code sparkformer pretrain}: masked-LM pretraining on data.corpusPath into {@code <output>/model}, with the rounds'
 * figures in history.csv and the report in report.html.
 */
public final class PretrainJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainJob.class);

    @Override
    public String name() {
        return "pretrain";
    }

    @Override
    public void run(JobContext context) throws Exception {
        JobOutputs out = new JobOutputs(context);
        PretrainResult result = new Pretrainer(context.spark(), context.request().config())
                .setCheckpoints(out.checkpointSettings())
                .fit();
        out.writeReport(result.report());
        result.model().saveHoldingLock(context.outputFs(), out.model(), result.metrics(),
                out.provenance(context.request().config().data().corpusPath()), result.outcome().trainingState(), context.request().resume());
        out.writeHistory(result.history());
        out.writeJobReport(JobReport.training(name(), result.metrics(), result.history(), null, null));
        LOG.info("pretrained model written to {}", out.model());
    }
}
