package org.sparkformer.driver.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings that shape a training run, as checkpoints record them: every configuration key, its value as text,
 * except the few a resumed run may change because they only decide how long the run goes on, how it is checkpointed
 * and what is measured after it ({@link #CHANGEABLE_ON_RESUME}). A resumed run whose settings differ in any other key
 * would silently continue a different run, so resuming compares the two and refuses with the {@link #changes}.
 */
public final class RunSettings {

    /**
     * Keys a resumed run may change: more epochs, other checkpoint intervals, another test split, the straggler limit
     * (a relaunched task gives the same bits).
     */
    public static final Set<String> CHANGEABLE_ON_RESUME = Set.of("training.epochs", "training.checkpointEvery",
            "training.keepLastCheckpoints", "training.earlyStoppingPatience", "data.testPath", "training.stragglerFactor",
            "training.stragglerMinSeconds");

    private RunSettings() {
    }

    /** The settings of {@code config} that shape the run, sorted by key. */
    public static Map<String, String> of(SparkformerConfig config) {
        Map<String, String> out = new TreeMap<>();
        ConfigSchema.flatten(config).forEach((key, value) -> {
            if (!CHANGEABLE_ON_RESUME.contains(key)) {
                out.put(key, String.valueOf(value));
            }
        });
        return out;
    }

    /**
     * The keys whose values differ, one line each: {@code training.lr: 0.005 in the checkpoint, 0.001 now}. Keys
     * {@link #CHANGEABLE_ON_RESUME} are ignored; a key present on one side only counts as changed.
     */
    public static List<String> changes(Map<String, String> recorded, Map<String, String> now) {
        Set<String> keys = new TreeSet<>(recorded.keySet());
        keys.addAll(now.keySet());
        keys.removeAll(CHANGEABLE_ON_RESUME);
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            String before = recorded.get(key);
            String after = now.get(key);
            if (before == null || !before.equals(after)) {
                out.add(key + ": " + (before == null ? "(not set)" : before) + " in the checkpoint, "
                        + (after == null ? "(not set)" : after) + " now");
            }
        }
        return out;
    }
}
