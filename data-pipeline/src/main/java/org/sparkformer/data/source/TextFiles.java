package org.sparkformer.data.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads text files on the executors, one file per task at a time, with {@link TextFileLines}, and parses each file's
 * lines into records. Nothing but the list of file names is on the driver.
 */
public final class TextFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TextFiles.class);

    private TextFiles() {
    }

    /** Records parsed from every file {@code paths} names (see {@link InputFiles}), in file order. */
    public static <T> ReadResult<T> read(SparkSession spark, String paths, ReadOptions options, FileRecordParser<T> parser) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> files = InputFiles.expand(paths, jsc.hadoopConfiguration());
        HadoopConf conf = new HadoopConf(jsc.hadoopConfiguration());
        int slices = Math.min(files.size(), Math.max(1, 4 * jsc.defaultParallelism()));
        JavaRDD<Outcome<T>> outcomes = jsc.parallelize(new ArrayList<>(files), slices)
                .flatMap(file -> parseFile(file, conf, options, parser));
        return new ReadResult<>(outcomes.setName("read " + paths));
    }

    /**
     * Counts the records of the files {@code paths} names, on this JVM and without Spark, in file order, stopping once
     * {@code limit} are found: checking that a split holds enough records reads no more than that many. Bad records
     * follow the policy: a skipped one is not counted; under {@code fail} the first one throws, naming file and line.
     */
    public static <T> long countUpTo(String paths, Configuration conf, ReadOptions options, FileRecordParser<T> parser,
                                     long limit) {
        long found = 0;
        for (String file : InputFiles.expand(paths, conf)) {
            if (found >= limit) {
                break;
            }
            try (TextFileLines lines = TextFileLines.open(file, conf, options)) {
                Iterator<Outcome<T>> records = parser.parse(lines, options.policy());
                while (found < limit && records.hasNext()) {
                    if (records.next().isGood()) {
                        found++;
                    }
                }
            }
        }
        return found;
    }

    private static <T> Iterator<Outcome<T>> parseFile(String file, HadoopConf conf, ReadOptions options,
                                                      FileRecordParser<T> parser) {
        TextFileLines lines = TextFileLines.open(file, conf.get(), options);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> lines.close());
        }
        return reportingEmpty(file, parser.parse(lines, options.policy()));
    }

    /** The records of {@code file}, logging a warning naming it when it holds none (nothing passes unremarked). */
    private static <T> Iterator<Outcome<T>> reportingEmpty(String file, Iterator<Outcome<T>> records) {
        return new Iterator<>() {
            private boolean any;

            @Override
            public boolean hasNext() {
                boolean more = records.hasNext();
                if (!more && !any) {
                    any = true;     // warn once
                    LOG.warn("{}: no records (an empty file, or only a header or blank lines)", file);
                }
                return more;
            }

            @Override
            public Outcome<T> next() {
                any = true;
                return records.next();
            }
        };
    }
}
