package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link StepTimes}: by default a small network on {@code local[1]} and {@code local[2]}, which
 * checks that the harness measures both designs, every part of a step; with
 * {@code -Dunfold.stepTimes=full}, the workloads on local and on the standalone cluster, whose
 * table goes to {@code target/step-times.md}.
 */
class StepTimesIT {
    static {
        // one core a task, as on the cluster's executors: read once, when the runtime's kernels load,
        // so this must come before any network runs in this JVM (run this class alone to measure)
        System.setProperty("unfold.oneCore", "true");
    }

    @Test
    void measuresBothDesigns() throws IOException {
        boolean full = "full".equals(System.getProperty("unfold.stepTimes"));
        List<StepTimes.Workload> workloads = full ? StepTimes.full()
                : List.of(new StepTimes.Workload("stacked GRU tagger", UnfoldedTestNetworks_StackedTagger::new, 6, 8));
        StepTimes times = new StepTimes(full ? 8 : 3, System.out::println);
        List<StepTimes.Row> rows = new ArrayList<>();
        for (int executors = 1; executors <= 2; executors++) {
            rows.addAll(times.onLocal(workloads, executors));
        }
        if (full) {
            rows.addAll(times.onCluster(workloads, Path.of("target", "spark-cluster", "StepTimes")));
        }
        Files.writeString(Path.of("target", "step-times.md"), StepTimes.markdown(rows));
        System.out.println(StepTimes.markdown(rows));

        assertEquals(workloads.size() * 2 * (full ? 4 : 2), rows.size(), "both designs for every set-up");
        for (StepTimes.Row row : rows) {
            // the parts come from different clocks (the treeAggregate compute is timed apart, in this JVM),
            // so on a loaded machine they need not add up to the step: each must be measured, that is all
            assertTrue(row.stepMs() > 0 && row.computeMs() > 0, row.toString());
            for (double part : new double[] {row.communicationMs(), row.schedulingMs(), row.optimizerMs()}) {
                assertTrue(part >= 0 && Double.isFinite(part), row.toString());
            }
            assertEquals(row.design().equals("barrier"), Double.isFinite(row.stageSeconds()),
                    "a per-stage cost for the barrier design only: " + row);
        }
    }
}
