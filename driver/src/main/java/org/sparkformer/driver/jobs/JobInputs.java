package org.sparkformer.driver.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkformer.driver.config.DataSection;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paths a job reads: {@code --model}, {@code --input} and the data section's paths, by the option or key that
 * names them. An output directory must not hold any of them, whatever the flags: a job that replaces its output
 * (or writes into it) would otherwise destroy its own input, as {@code predict --model X/model --output X} would.
 */
final class JobInputs {

    private JobInputs() {
    }

    /** Throws {@link OutputHoldsInputException} when {@code output} (qualified) is or contains an input of the request. */
    static void refuseInputsUnder(Path output, JobRequest request, Configuration conf) throws IOException {
        String out = withSlash(output.toString());
        for (Map.Entry<String, String> input : of(request).entrySet()) {
            for (String one : input.getValue().split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                Path path = new Path(one.trim());
                String qualified = withSlash(path.getFileSystem(conf).makeQualified(path).toString());
                if (qualified.startsWith(out)) {
                    throw new OutputHoldsInputException("--output " + output + " holds an input of this job (" + input.getKey()
                            + " " + one.trim() + "); write the output somewhere else");
                }
            }
        }
    }

    /** The request's input paths (comma-separated lists as given), by the option or key that names them. */
    static Map<String, String> of(JobRequest request) {
        Map<String, String> inputs = new LinkedHashMap<>();
        put(inputs, "--model", request.model());
        put(inputs, "--input", request.input());
        DataSection d = request.config().data();
        put(inputs, "data.corpusPath", d.corpusPath());
        put(inputs, "data.trainPath", d.trainPath());
        put(inputs, "data.validationPath", d.validationPath());
        put(inputs, "data.testPath", d.testPath());
        put(inputs, "data.vocabPath", d.vocabPath());
        put(inputs, "data.augmentation.wordnetDir", d.augmentation().wordnetDir());
        return inputs;
    }

    private static void put(Map<String, String> inputs, String name, String value) {
        if (value != null && !value.isBlank()) {
            inputs.put(name, value);
        }
    }

    private static String withSlash(String path) {
        return path.endsWith("/") ? path : path + "/";
    }
}
