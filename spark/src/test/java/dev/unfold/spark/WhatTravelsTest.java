package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;

/**
 * What a step sends to the executors: the task holds the update's example indices and handles, not the
 * data or the weights (those are the cached partitions and a broadcast), and each executor JVM builds
 * its networks once for the run, not once per task. The driver's network, its data and SparkMinibatches
 * itself are not Serializable, so a task that captured one would not even start.
 */
class WhatTravelsTest {

    @Test
    void aStepsTaskIsAFewKilobytesPlusItsIndicesWhateverTheWeightsAndData() throws IOException {
        Broadcast<PackedVector> small = LocalSpark.context().broadcast(PackedVector.of(new double[10]));
        Broadcast<PackedVector> large = LocalSpark.context().broadcast(PackedVector.ofDoubles(new double[1_000_000]));
        try {
            NetworkFactory factory = UnfoldedTestNetworks_DenseRegressor::new;
            int withSmall = size(new GradientTask("run", factory, small, 1, new int[64], 4));
            int withLarge = size(new GradientTask("run", factory, large, 1, new int[64], 4));
            int moreIndices = size(new GradientTask("run", factory, large, 1, new int[1064], 4));
            assertEquals(withSmall, withLarge, "the weights travel by broadcast, not in the task");
            assertEquals(4000, moreIndices - withLarge, "1000 more indices, 4 bytes each");
            assertTrue(withLarge < 4096, "a step's task is " + withLarge + " bytes");
            int loss = size(new LossTask("run", factory, large, 1, 1_000_000, 64, 7L, 4));
            assertTrue(loss < 4096, "a validation pass's task is " + loss + " bytes, whatever the data's size");
        } finally {
            small.destroy();
            large.destroy();
        }
    }

    @Test
    void eachExecutorBuildsItsNetworksOncePerFactoryNotOncePerTask() throws IOException {
        NetworkFactory factory = UnfoldedTestNetworks_DenseRegressor::new;
        SequenceModel network = factory.create(2);
        TestData data = TestData.random(network, false, false, 40, 7);
        TestData valid = TestData.random(network, false, false, 12, 8);
        int cached = LocalSpark.context().getPersistentRDDs().size();
        String run;
        try (SparkMinibatches batches = SparkMinibatches.of(LocalSpark.context().parallelize(data.examples(), 4),
                network, factory, 8);
             SparkMinibatches held = SparkMinibatches.of(LocalSpark.context().parallelize(valid.examples(), 3),
                     network, factory, 4)) {
            new Trainer(network, new Sgd(network.parameters(), 0.1)).epochs(3).validation(held, 0).fit(batches);
            // 15 steps of 4 tasks and 3 validation passes of 3 on local[2]: at most 2 tasks at once, and the
            // training and validation data share their factory's networks, so at most 2 networks
            run = batches.run();
            assertEquals(run, held.run(), "data of one factory share its networks");
            int built = ExecutorNetworks.built(run);
            assertTrue(built >= 1 && built <= 2, built + " networks built for 69 tasks");
            assertEquals(cached + 2, LocalSpark.context().getPersistentRDDs().size(), "the examples are cached");
        }
        assertEquals(0, ExecutorNetworks.built(run), "closed: the run's networks are forgotten");
        assertEquals(cached, LocalSpark.context().getPersistentRDDs().size(), "closed: nothing stays cached");
    }

    private static int size(Object task) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(task);
        }
        return bytes.size();
    }
}
