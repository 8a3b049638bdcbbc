package org.sparkformer.driver.executor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The CSV layout of predictions refuses tags it could not give back; the nested layouts take any label. */
class PredictionRowsTest {

    @Test
    void csvRefusesATaggerWhoseTagHoldsASpace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PredictionRows(List.of("O", "B PER"), true, false, false));

        assertEquals("tag \"B PER\" holds whitespace, and CSV joins a sentence's tags with spaces; write the predictions as"
                + " jsonl or parquet instead", e.getMessage());
    }

    @Test
    void csvRefusesATagWithWhitespaceOrTheMissingMarkButASequenceLabelMayHoldThem() {
        assertEquals("tag \"B PER\" holds whitespace, and CSV joins a sentence's tags with spaces",
                PredictionRows.csvProblem(List.of("O", "B PER"), true));
        assertEquals("tag \"_\" is _, the CSV mark of a word without a prediction",
                PredictionRows.csvProblem(List.of("O", "_"), true));
        assertNull(PredictionRows.csvProblem(List.of("B PER", "_", "a,b", "say \"hi\""), false));
    }

    @Test
    void nestedLayoutsTakeLabelsThatCsvRefuses() {
        List<String> labels = List.of("O", "B PER", "_");
        assertEquals(List.of("source", "text", "prediction", "probabilities"),
                List.of(new PredictionRows(labels, false, false, true).schema().fieldNames()));
        assertEquals(List.of("source", "words", "tags", "prediction", "probabilities"),
                List.of(new PredictionRows(labels, true, true, true).schema().fieldNames()));
    }
}
