package dev.unfold.spark;

import static dev.unfold.spark.TrainingEqualsOneMachineTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TrainingData;
import dev.unfold.runtime.train.TrainingListener;
import dev.unfold.spark.cluster.StandaloneCluster;
import dev.unfold.spark.cluster.StandaloneClusterExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The "done": a network trained on a two-worker standalone cluster on this machine (two
 * executor JVMs that get the network, the runtime and the data only through {@code spark.jars} and
 * serialisation) equals the single-machine {@code Trainer} to 1e-12, with either design.
 */
@ExtendWith(StandaloneClusterExtension.class)
class TrainOnClusterIT {
    private static final int EXAMPLES = 23;
    private static final int BATCH = 5;
    private static final int EPOCHS = 2;

    private static final TrainerRecipe RECIPE = network -> new Trainer(network, new Adam(network.parameters(), 0.05))
            .seed(5)
            .clipNorm(1.0)
            .schedule(LearningRateSchedule.cosine(0.05, 0.005, (long) EPOCHS * 5));

    @Test
    void bothDesignsOnTwoWorkersEqualOneMachine(StandaloneCluster cluster) throws IOException {
        NetworkFactory factory = UnfoldedTestNetworks_TokenClassifier::new;
        SequenceModel alone = factory.create(3);
        TestData data = TestData.random(alone, true, true, EXAMPLES, 17);
        List<Double> aloneLosses = epochLosses(alone, data.minibatches(alone, BATCH));
        double[] expected = FlatWeights.values(alone.parameters());

        SequenceModel treeAggregated = factory.create(3);
        SequenceModel barrier = factory.create(3);
        List<BarrierTraining.BarrierEpoch> barrierEpochs;
        List<Double> treeLosses;
        try (JavaSparkContext spark = new JavaSparkContext(cluster.sparkConf("train on the cluster"))) {
            JavaRDD<Example> examples = spark.parallelize(data.examples(), cluster.workers());
            try (SparkMinibatches batches = SparkMinibatches.of(examples, treeAggregated, factory, BATCH)) {
                treeLosses = epochLosses(treeAggregated, batches);
            }
            try (BarrierTraining training = BarrierTraining.of(examples, barrier, factory, BATCH)) {
                training.fit(RECIPE, EPOCHS, null);
                barrierEpochs = training.stages();
            }
        }
        assertEquals(EPOCHS, barrierEpochs.size());
        for (int e = 0; e < EPOCHS; e++) {
            assertClose(aloneLosses.get(e), treeLosses.get(e), 1e-12, "treeAggregate: loss of epoch " + (e + 1));
            assertClose(aloneLosses.get(e), barrierEpochs.get(e).trainingLoss(), 1e-12, "barrier: loss of epoch " + (e + 1));
        }
        double[] tree = FlatWeights.values(treeAggregated.parameters());
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], tree[i], 1e-12, "treeAggregate: weight " + i);
        }
        assertArrayEquals(tree, FlatWeights.values(barrier.parameters()), "barrier: the treeAggregate weights, bit for bit");
    }

    private static List<Double> epochLosses(SequenceModel network, TrainingData data) throws IOException {
        List<Double> losses = new ArrayList<>();
        RECIPE.create(network).epochs(EPOCHS).listener(new TrainingListener() {
            @Override
            public void epochEnded(EpochReport report) {
                losses.add(report.trainingLoss());
            }
        }).fit(data);
        return losses;
    }
}
