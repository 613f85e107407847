package dev.unfold.processor;

import static dev.unfold.processor.PrecisionAgreement.gradientsAgree;
import static dev.unfold.processor.PrecisionAgreement.lossesAgree;
import static dev.unfold.processor.PrecisionAgreement.rowsAgree;
import static dev.unfold.processor.PrecisionAgreement.sameWeightsUpToRounding;
import static dev.unfold.processor.PrecisionAgreement.valuesAgree;
import static dev.unfold.processor.PrecisionAgreement.zeroGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * The float32 BPTT, checked against the float64 one (which {@link GradientCheckTest} checks against
 * central differences; finite differences are too coarse in float): every network of the gradient
 * check, built in both precisions from the same seed (so with the same weights up to rounding) and
 * given the same inputs (rounded to float), predicts, loses and differentiates alike, within
 * {@link PrecisionAgreement#TOLERANCE} of each tensor's largest magnitude (of the loss itself).
 * Networks that stream, encode or decode are also stepped, run statefully, and handed states and
 * state gradients, whose double values a float32 network rounds in and widens out.
 */
class Float32AgainstFloat64Test {
    private static final List<RandomNetworks.Spec> SPECS = RandomNetworks.allCombinations(2026);

    @TestFactory
    Stream<DynamicContainer> everyNetworkOfTheGradientCheckAgreesInBothPrecisions() {
        return RandomNetworks.eachCase(SPECS, List.of(Precision.FLOAT32), Float32AgainstFloat64Test::check);
    }

    private static void check(ClassLoader loader, RandomNetworks.Spec spec, boolean tokens, boolean labels) {
        SequenceModel doubles = TestCompiler.instantiate(loader, spec.className(), 7);
        SequenceModel floats = TestCompiler.instantiate(loader, spec.in(Precision.FLOAT32).className(), 7);
        sameWeightsUpToRounding(doubles, floats);
        Random random = new Random(spec.seed() * 4 + (tokens ? 1 : 0) + (labels ? 2 : 0));
        int steps = 1 + random.nextInt(6);
        FloatExample example = FloatExample.rounded(RandomNetworks.example(spec, steps, tokens, labels, random));
        Example same = example.widened();

        int rows = spec.mapping() == Mapping.MANY_TO_MANY ? steps : 1;
        double[][] expected = new double[rows][spec.output()];
        float[][] actual = new float[rows][spec.output()];
        same.forward(doubles, expected);
        example.forward(floats, actual);
        rowsAgree(spec + " predictions", expected, actual);

        zeroGradients(doubles, floats);
        double loss = example.backward(floats);
        lossesAgree(spec + " backward", same.backward(doubles), loss);
        assertEquals(loss, example.loss(floats), 1e-12 * Math.max(1, Math.abs(loss)), "loss() and backward() disagree");
        gradientsAgree(spec.toString(), doubles, floats);

        if (doubles instanceof Streaming stream) {
            stepsAgree(spec, stream, (Streaming) floats, example, same);
            statefulPassesAgree(spec, stream, (Streaming) floats, example, same);
        }
        if (doubles instanceof Encoder encoder) {
            encodersAgree(spec, encoder, (Encoder) floats, example, same, random);
        }
        if (doubles instanceof Decoder decoder) {
            decodersAgree(spec, decoder, (Decoder) floats, example, same, random);
        }
    }

    /** Streaming one step at a time: every step's prediction, and the state carried after the last. */
    private static void stepsAgree(RandomNetworks.Spec spec, Streaming doubles, Streaming floats, FloatExample example,
                                   Example same) {
        doubles.resetState();
        floats.resetState();
        double[][] expected = new double[example.steps()][spec.output()];
        float[][] actual = new float[example.steps()][spec.output()];
        for (int t = 0; t < example.steps(); t++) {
            if (example.tokens() != null) {
                doubles.step(same.tokens()[t], expected[t]);
                floats.step(example.tokens()[t], actual[t]);
            } else {
                doubles.step(same.xs()[t], expected[t]);
                floats.step(example.xs()[t], actual[t]);
            }
        }
        rowsAgree(spec + " streamed predictions", expected, actual);
        statesAgree(spec + " streamed state", doubles, floats);
    }

    /** Two stateful backward passes: the second starts from the state the first carried on. */
    private static void statefulPassesAgree(RandomNetworks.Spec spec, Streaming doubles, Streaming floats,
                                            FloatExample example, Example same) {
        doubles.resetState();
        floats.resetState();
        doubles.setStateful(true);
        floats.setStateful(true);
        try {
            for (int pass = 1; pass <= 2; pass++) {
                zeroGradients(doubles, floats);
                double loss = example.backward(floats);
                lossesAgree(spec + " stateful pass " + pass, same.backward(doubles), loss);
                gradientsAgree(spec + " stateful pass " + pass, doubles, floats);
                statesAgree(spec + " state after stateful pass " + pass, doubles, floats);
            }
        } finally {
            doubles.setStateful(false);
            floats.setStateful(false);
        }
    }

    private static void statesAgree(String what, Streaming doubles, Streaming floats) {
        double[] expected = new double[doubles.stateSize()];
        double[] actual = new double[floats.stateSize()];
        doubles.saveState(expected, 0);
        floats.saveState(actual, 0);
        valuesAgree(what, expected, actual);
    }

    /** An encoder's final state, and BPTT from a given gradient of it. */
    private static void encodersAgree(RandomNetworks.Spec spec, Encoder doubles, Encoder floats, FloatExample example,
                                      Example same, Random random) {
        double[] expected = new double[doubles.stateSize() + 1];
        double[] actual = new double[floats.stateSize() + 1];
        doubles.finalState(expected, 1);
        floats.finalState(actual, 1);
        valuesAgree(spec + " final state", expected, actual);

        double[] gradient = roundedGaussians(doubles.stateSize() + 2, random);
        zeroGradients(doubles, floats);
        if (example.tokens() != null) {
            doubles.backwardFromState(same.tokens(), gradient, 2);
            floats.backwardFromState(example.tokens(), gradient, 2);
        } else {
            doubles.backwardFromState(same.xs(), gradient, 2);
            floats.backwardFromState(example.xs(), gradient, 2);
        }
        gradientsAgree(spec + " backwardFromState", doubles, floats);
    }

    /** A decoder started from a given state (rounded in), and the gradient that state receives (widened out). */
    private static void decodersAgree(RandomNetworks.Spec spec, Decoder doubles, Decoder floats, FloatExample example,
                                      Example same, Random random) {
        double[] start = roundedGaussians(doubles.stateSize(), random);
        doubles.setStateful(true);
        floats.setStateful(true);
        try {
            doubles.restoreState(start, 0);
            floats.restoreState(start, 0);
            zeroGradients(doubles, floats);
            double loss = example.backward(floats);
            lossesAgree(spec + " decoding from a state", same.backward(doubles), loss);
            gradientsAgree(spec + " decoding from a state", doubles, floats);
        } finally {
            doubles.setStateful(false);
            floats.setStateful(false);
        }
        double[] expected = new double[doubles.stateSize()];
        double[] actual = new double[floats.stateSize()];
        doubles.initialStateGradient(expected, 0);
        floats.initialStateGradient(actual, 0);
        valuesAgree(spec + " initial state gradient", expected, actual);
    }

    /** Gaussians, each a float, so that both precisions are given the same values. */
    static double[] roundedGaussians(int size, Random random) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
