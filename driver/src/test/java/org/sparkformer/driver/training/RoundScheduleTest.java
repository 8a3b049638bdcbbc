package org.sparkformer.driver.training;

import org.junit.jupiter.api.Test;
import org.sparkformer.driver.config.ConfigLoader;
import org.sparkformer.driver.config.TrainingSection;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundScheduleTest {

    private static List<Integer> stepsOfRounds(RoundSchedule schedule) {
        return java.util.stream.IntStream.range(0, schedule.rounds()).map(schedule::stepsIn).boxed().toList();
    }

    @Test
    void withoutWarmupRoundsEveryRoundTakesKStepsAndTheLastTheRest() {
        assertEquals(List.of(8, 8, 4), stepsOfRounds(new RoundSchedule(20, 0, 8)));
    }

    @Test
    void warmupRoundsAverageAfterEveryStepThenEveryKSteps() {
        TrainingSection t = new ConfigLoader().set(List.of("training.averagingWarmupRounds=2")).build().config().training();
        RoundSchedule schedule = RoundSchedule.of(t, 20);
        assertEquals(List.of(1, 1, 8, 8, 2), stepsOfRounds(schedule));
        assertEquals(List.of(0L, 1L, 2L, 10L, 18L, 20L),
                java.util.stream.IntStream.rangeClosed(0, 5).mapToObj(schedule::stepsBefore).toList());
    }

    @Test
    void fewerStepsThanWarmupRoundsTakeOneRoundEach() {
        assertEquals(List.of(1, 1, 1), stepsOfRounds(new RoundSchedule(3, 5, 8)));
        assertEquals(List.of(), stepsOfRounds(new RoundSchedule(0, 0, 8)));
    }
}
