package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SparkSmokeTest {
    @Test
    void aGeneratedNetworkRunsInsideALocalTwoCoreSparkJob() {
        List<Integer> counts = LocalSpark.context().parallelize(List.of(1, 2, 3, 4), 2)
                .map(seed -> new UnfoldedTestNetworks_DenseRegressor(seed).parameterCount())
                .collect();
        assertEquals(4, counts.size());
        assertEquals(new UnfoldedTestNetworks_DenseRegressor(0).parameterCount(), counts.get(0));
    }
}
