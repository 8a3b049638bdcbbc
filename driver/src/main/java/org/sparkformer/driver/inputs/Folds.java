package org.sparkformer.driver.inputs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.sparkformer.data.batch.Seeds;
import scala.Tuple2;

/**
 * A k-fold split of one set of records for cross-validation. The records are put in an order drawn from the job seed
 * and dealt out to the folds in turn, so fold sizes differ by at most one and the same records in the same order with
 * the same seed make the same folds, on any number of partitions. Fold {@code f}'s run trains on
 * {@link #training(int)} (every other fold) and is scored on {@link #heldOut(int)}.
 *
 * @param <T> the record type
 */
public final class Folds<T> {

    /** Keeps the fold order's draws apart from every other choice made from the job seed. */
    private static final long FOLD_STREAM = 0x466F6C6473L;

    private final JavaRDD<Tuple2<Integer, T>> assigned;
    private final int k;
    private final long records;

    private Folds(JavaRDD<Tuple2<Integer, T>> assigned, int k, long records) {
        this.assigned = assigned;
        this.k = k;
        this.records = records;
    }

    /**
     * Splits {@code records} (named {@code what} in messages) into {@code k} folds seeded by {@code jobSeed}; fails
     * when there are fewer records than folds.
     */
    public static <T> Folds<T> of(JavaRDD<T> records, int k, long jobSeed, String what) {
        String problem = check(k, Long.MAX_VALUE, what);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        // the draw of record i is a bijection of i, so no two records tie and the order is total
        JavaRDD<Tuple2<Integer, T>> assigned = records.zipWithIndex()
                .mapToPair(r -> new Tuple2<>(Seeds.derive(jobSeed, FOLD_STREAM, r._2()), r._1()))
                .sortByKey()
                .values()
                .zipWithIndex()
                .map(r -> new Tuple2<>((int) (r._2() % k), r._1()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        assigned.setName(k + " folds of " + what);
        long n = assigned.count();
        problem = check(k, n, what);
        if (problem != null) {
            assigned.unpersist(false);
            throw new IllegalArgumentException(problem);
        }
        return new Folds<>(assigned, k, n);
    }

    /**
     * Why {@code k} folds cannot split {@code records} records of {@code what}, or null when they can: k must be at
     * least 2 and at most the number of records.
     */
    public static String check(int k, long records, String what) {
        if (k < 2) {
            return "--folds " + k + ": cross-validation needs at least 2 folds";
        }
        if (records < k) {
            return "--folds " + k + ": " + what + " holds " + records + " record" + (records == 1 ? "" : "s")
                    + ", fewer than the folds";
        }
        return null;
    }

    /** The number of folds. */
    public int k() {
        return k;
    }

    /** The number of records split. */
    public long records() {
        return records;
    }

    /** Every record split. */
    public JavaRDD<T> all() {
        return assigned.map(Tuple2::_2);
    }

    /** The records of every fold but {@code fold} (0-based): what fold {@code fold}'s run trains on. */
    public JavaRDD<T> training(int fold) {
        return assigned.filter(r -> r._1() != fold).map(Tuple2::_2);
    }

    /** The records of fold {@code fold} (0-based): what its run is scored on. */
    public JavaRDD<T> heldOut(int fold) {
        return assigned.filter(r -> r._1() == fold).map(Tuple2::_2);
    }

    /** Releases the cached assignment. */
    public void unpersist() {
        assigned.unpersist(false);
    }
}
