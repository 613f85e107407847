package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The many-to-one classifier learns a rule it was never told, and the data follows that rule. */
class ClassifySampleTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void learnsTheMotifRuleOnHeldOutSequences() {
        // the sample's own settings
        ClassifySample.Model model = ClassifySample.Model.SIMPLE;
        ClassifySample.Result result = ClassifySample.run(model, 2000, 1000, 10, model.maxLength, model.epochs,
                model.learningRate, 1, QUIET);
        assertTrue(result.testAccuracy() >= 0.95, "held-out accuracy " + result.testAccuracy());
        assertTrue(result.test().f1(1) >= 0.95 && result.test().macroF1() >= 0.95, result.test().toString());
        assertEquals(1000, result.test().count(), "one row per test sequence");
    }

    @Test
    void bidirectionalLstmLearnsItOverTheSeedsFullLengths() {
        // Lengths 10 to 428: a motif can sit hundreds of steps from either end. The sample's own settings.
        ClassifySample.Model model = ClassifySample.Model.BILSTM;
        ClassifySample.Result result = ClassifySample.run(model, 2000, 500, 10, model.maxLength, model.epochs,
                model.learningRate, 1, QUIET);
        assertTrue(result.testAccuracy() >= 0.95, "held-out accuracy " + result.testAccuracy());
    }

    @Test
    void untrainedNetworkIsAtChance() {
        Random random = new Random(5);
        List<ProteinData.Example> test = ProteinData.generate(1000, 10, 40, random);
        UnfoldedBidirectionalProteinClassifier net = new UnfoldedBidirectionalProteinClassifier(1);
        double accuracy = ClassifySample.accuracy(net, test);
        assertTrue(Math.abs(accuracy - 0.5) < 0.1, "untrained accuracy " + accuracy);
        // the same count, one sequence at a time by hand (float32 network: float probabilities)
        float[][] probabilities = new float[1][2];
        int correct = 0;
        for (ProteinData.Example example : test) {
            net.forward(example.residues(), probabilities);
            correct += (probabilities[0][1] > probabilities[0][0] ? 1 : 0) == example.label() ? 1 : 0;
        }
        assertEquals(correct / 1000.0, accuracy, 0.0);
    }

    @Test
    void labelsFollowTheMotifRuleAndAreBalanced() {
        List<ProteinData.Example> examples = ProteinData.generate(500, 10, 428, new Random(2));
        int positives = 0;
        for (ProteinData.Example example : examples) {
            assertEquals(example.label() == 1, ProteinData.hasMotif(example.residues()), example.letters());
            assertTrue(example.residues().length >= 10 && example.residues().length <= 428);
            positives += example.label();
        }
        assertEquals(250, positives);
    }

    @Test
    void classifierHasTheDeclaredShape() {
        ProteinClassifier net = new UnfoldedProteinClassifier(1);
        // 16·20 + 16·16 + 16 + 2·16 + 2
        assertEquals(626, net.parameterCount());
        assertEquals(20, net.rnn().inputSize());
        assertEquals(16, net.rnn().hiddenSize());
    }
}
