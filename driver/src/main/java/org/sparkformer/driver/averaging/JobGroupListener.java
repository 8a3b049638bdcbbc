package org.sparkformer.driver.averaging;

import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A Spark listener that follows the stages of the jobs run in one job group (a round's), so that its task events
 * can be told from those of every other job on the context.
 */
abstract class JobGroupListener extends SparkListener {

    private final String jobGroup;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();

    JobGroupListener(String jobGroup) {
        this.jobGroup = jobGroup;
    }

    /** True when {@code stageId} belongs to a job of the group. */
    final boolean inGroup(int stageId) {
        return stages.contains(stageId);
    }

    @Override
    public final void onJobStart(SparkListenerJobStart jobStart) {
        Properties properties = jobStart.properties();
        if (properties != null && jobGroup.equals(properties.getProperty("spark.jobGroup.id"))) {
            for (Object stage : CollectionConverters.asJava(jobStart.stageIds())) {
                stages.add((Integer) stage);
            }
        }
    }
}
