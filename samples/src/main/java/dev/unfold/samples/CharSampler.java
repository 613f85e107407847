package dev.unfold.samples;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Vocabulary;
import java.util.Random;

/**
 * Writes text with a character model, one character at a time: the network's probabilities for
 * the next character, sharpened or flattened by a temperature T (p_i^(1/T), renormalised: below 1
 * the likely characters win more often, above 1 the unlikely ones get their chance), one drawn,
 * and fed back as the next input through the streaming {@code step}.
 */
final class CharSampler {
    private final SequenceModel net;
    private final Vocabulary vocabulary;
    private final double[] probabilities;
    private final double[] weights;

    CharSampler(SequenceModel net, Vocabulary vocabulary) {
        this.net = net;
        this.vocabulary = vocabulary;
        this.probabilities = new double[net.outputSize()];
        this.weights = new double[vocabulary.size()];
    }

    /** {@code length} characters after {@code prompt}, from a fresh state. */
    String sample(String prompt, int length, double temperature, Random random) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("the temperature must be positive, got " + temperature);
        }
        net.resetState();
        int[] primed = vocabulary.encode(prompt);
        for (int token : primed) {
            net.step(token, probabilities);
        }
        StringBuilder text = new StringBuilder(prompt);
        for (int i = 0; i < length; i++) {
            int next = draw(temperature, random);
            text.append(vocabulary.symbol(next));
            net.step(next, probabilities);
        }
        return text.toString();
    }

    /** One index from p^(1/T) over the vocabulary's characters (the network's other outputs never occur). */
    private int draw(double temperature, Random random) {
        double largest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.log(probabilities[i]) / temperature;
            largest = Math.max(largest, weights[i]);
        }
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.exp(weights[i] - largest);   // the largest becomes 1: no overflow
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;   // rounding left u a hair above 0
    }
}
