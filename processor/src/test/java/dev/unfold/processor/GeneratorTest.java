package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.seq2seq.Generator;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Generation against an independent account of the same network: the probabilities of every
 * prefix computed by the whole-sequence {@code forward}, not by the streaming steps the generator
 * uses. Greedy takes the most probable token each step, beam search wide enough to keep every
 * prefix finds the most probable sequence of all, sampling follows p^(1/T) over the top k.
 */
class GeneratorTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Words",
                    "@Network(input = 4, output = 4, loss = Loss.CROSS_ENTROPY)",
                    "public interface Words extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 6, cell = Cell.LSTM) Layer lstm();",
                    "    @Recurrent(hidden = 5, cell = Cell.GRU) Layer gru();",
                    "}"),
            TestCompiler.inTestPackage("Tagger",
                    "@Network(input = 4, output = 3, loss = Loss.CROSS_ENTROPY)",
                    "public interface Tagger extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 6) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Both",
                    "@Network(input = 4, output = 4, loss = Loss.CROSS_ENTROPY)",
                    "public interface Both extends Classifier, Traceable {",
                    "    @Recurrent(hidden = 6) @Bidirectional Layer rnn();",
                    "}")));

    private static final int[] PROMPT = {2, 0};

    /** Words is a classifier that streams (and more): the type a Generator takes. */
    private static <T extends Streaming & Classifier> T words(TestCompiler compiler, long seed) {
        T net = TestCompiler.instantiate(NETWORKS.loader(compiler), "test.UnfoldedWords", seed);
        // sharper distributions than an untrained network's near-uniform ones, so that choices differ
        for (var parameter : net.parameters()) {
            for (int i = 0; i < parameter.size(); i++) {
                parameter.value().data[i] *= 4;
            }
        }
        return net;
    }

    /** The probabilities of the token after {@code prompt + generated[0 .. count)}, by the whole-sequence pass. */
    private static double[] next(SequenceModel net, int[] prompt, int[] generated, int count) {
        int[] sequence = Arrays.copyOf(prompt, prompt.length + count);
        System.arraycopy(generated, 0, sequence, prompt.length, count);
        double[][] ys = new double[sequence.length][net.outputSize()];
        net.forward(sequence, ys);
        return ys[sequence.length - 1];
    }

    /** log P(tokens, then {@code end} if it is not -1 | prompt), by the whole-sequence pass. */
    private static double logProbability(SequenceModel net, int[] tokens, int end) {
        double sum = 0;
        for (int t = 0; t < tokens.length; t++) {
            sum += Math.log(next(net, PROMPT, tokens, t)[tokens[t]]);
        }
        return end < 0 ? sum : sum + Math.log(next(net, PROMPT, tokens, tokens.length)[end]);
    }

    @EachCompiler
    void greedyTakesTheMostProbableTokenEachStep(TestCompiler compiler) {
        var net = words(compiler, 1);
        int[] generated = new int[8];
        int count = new Generator(net).greedy(PROMPT, 8, -1, generated);
        assertEquals(8, count);
        for (int t = 0; t < count; t++) {
            double[] p = next(net, PROMPT, generated, t);
            for (int i = 0; i < p.length; i++) {
                assertTrue(p[i] <= p[generated[t]], "step " + t + ": token " + i + " beats " + generated[t]);
            }
        }
    }

    @EachCompiler
    void aNarrowerVocabularyIsNeverLeft(TestCompiler compiler) {
        var net = words(compiler, 1);
        Generator firstThree = new Generator(net, 3);
        int[] generated = new int[10];
        firstThree.greedy(PROMPT, 10, -1, generated);
        for (int t = 0; t < 10; t++) {
            double[] p = next(net, PROMPT, generated, t);
            assertTrue(generated[t] < 3 && p[generated[t]] >= Math.max(p[0], Math.max(p[1], p[2])), "step " + t);
        }
        int[] beam = new int[10];
        firstThree.beamSearch(PROMPT, 10, -1, 4, beam);
        firstThree.sample(PROMPT, 10, -1, 3.0, 0, new Random(2), generated);
        assertTrue(Arrays.stream(beam).allMatch(token -> token < 3) && Arrays.stream(generated).allMatch(token -> token < 3));
        assertEquals("the tokens to choose from must be 1 to 4, the network's vocabulary, got 5",
                assertThrows(IllegalArgumentException.class, () -> new Generator(net, 5)).getMessage());
    }

    @EachCompiler
    void aBeamOfOneIsGreedy(TestCompiler compiler) {
        var net = words(compiler, 2);
        Generator generator = new Generator(net);
        int[] greedy = new int[6];
        int[] beam = new int[6];
        int greedyCount = generator.greedy(PROMPT, 6, 3, greedy);
        double greedyScore = generator.lastScore();
        assertEquals(greedyCount, generator.beamSearch(PROMPT, 6, 3, 1, beam));
        assertArrayEquals(greedy, beam);
        assertEquals(greedyScore, generator.lastScore(), 1e-12);
    }

    /**
     * With 4 tokens, token 3 ending a sequence, and at most 3 tokens, a beam of 64 keeps every
     * prefix, so it must find the most probable sequence of all, which is found here by listing
     * them: every sequence of 0 to 2 tokens followed by the end, and every sequence of 3 tokens.
     */
    @EachCompiler
    void aWideEnoughBeamFindsTheMostProbableSequenceOfAll(TestCompiler compiler) {
        for (long seed = 3; seed <= 5; seed++) {
            var net = words(compiler, seed);
            int end = 3;
            double best = Double.NEGATIVE_INFINITY;
            int[] bestTokens = null;
            for (int length = 0; length <= 3; length++) {
                int open = length == 3 ? 4 : 3;   // only a full-length sequence may hold no end at all
                for (int code = 0; code < Math.pow(open, length); code++) {
                    int[] tokens = new int[length];
                    for (int t = 0, c = code; t < length; t++, c /= open) {
                        tokens[t] = c % open;
                    }
                    if (length == 3 && Arrays.stream(tokens).anyMatch(token -> token == end)) {
                        continue;
                    }
                    double score = logProbability(net, tokens, length < 3 ? end : -1);
                    if (score > best) {
                        best = score;
                        bestTokens = tokens;
                    }
                }
            }
            Generator generator = new Generator(net);
            int[] found = new int[3];
            int count = generator.beamSearch(PROMPT, 3, end, 64, found);
            assertArrayEquals(bestTokens, Arrays.copyOf(found, count), "seed " + seed);
            assertEquals(best, generator.lastScore(), 1e-12, "seed " + seed);
        }
    }

    @EachCompiler
    void sampledTokensAreAmongTheTopKAndReproducible(TestCompiler compiler) {
        var net = words(compiler, 6);
        Generator generator = new Generator(net);
        int[] first = new int[12];
        int[] second = new int[12];
        assertEquals(12, generator.sample(PROMPT, 12, -1, 1.5, 2, new Random(9), first));
        generator.sample(PROMPT, 12, -1, 1.5, 2, new Random(9), second);
        assertArrayEquals(first, second, "the same seed, the same text");
        for (int t = 0; t < 12; t++) {
            double[] p = next(net, PROMPT, first, t);
            int better = 0;
            for (double q : p) {
                better += q > p[first[t]] ? 1 : 0;
            }
            assertTrue(better < 2, "step " + t + ": token " + first[t] + " is not among the 2 most probable");
        }
        int[] greedy = new int[12];
        generator.greedy(PROMPT, 12, -1, greedy);
        int[] topOne = new int[12];
        generator.sample(PROMPT, 12, -1, 0.3, 1, new Random(1), topOne);
        assertArrayEquals(greedy, topOne, "top-1 sampling is greedy");
    }

    /** The first token's frequencies over many draws follow p^(1/T) / Z, within 5 standard errors. */
    @EachCompiler
    void samplingFollowsTheTemperedDistribution(TestCompiler compiler) {
        var net = words(compiler, 7);
        Generator generator = new Generator(net);
        double[] p = next(net, PROMPT, new int[0], 0);
        for (double temperature : new double[] {0.5, 2.0}) {
            double[] expected = new double[p.length];
            double total = 0;
            for (int i = 0; i < p.length; i++) {
                expected[i] = Math.pow(p[i], 1 / temperature);
                total += expected[i];
            }
            int draws = 20_000;
            int[] counts = new int[p.length];
            int[] token = new int[1];
            SplittableRandom random = new SplittableRandom(11);
            for (int n = 0; n < draws; n++) {
                generator.sample(PROMPT, 1, -1, temperature, 0, random, token);
                counts[token[0]]++;
            }
            for (int i = 0; i < p.length; i++) {
                double q = expected[i] / total;
                double standardError = Math.sqrt(q * (1 - q) / draws);
                assertEquals(q, (double) counts[i] / draws, 5 * standardError + 1e-9,
                        "T = " + temperature + ", token " + i);
            }
        }
    }

    @EachCompiler
    void misuseIsAClearError(TestCompiler compiler) {
        Generator generator = new Generator(words(compiler, 1));
        int[] into = new int[4];
        assertEquals("the prompt is empty: generation needs at least one token to start from",
                assertThrows(IllegalArgumentException.class, () -> generator.greedy(new int[0], 4, -1, into))
                        .getMessage());
        assertEquals("prompt[1] is 4, outside the vocabulary [0, 4)",
                assertThrows(IllegalArgumentException.class, () -> generator.greedy(new int[] {0, 4}, 4, -1, into))
                        .getMessage());
        assertEquals("into has room for 4 tokens, expected at least maxLength = 5",
                assertThrows(IllegalArgumentException.class, () -> generator.beamSearch(PROMPT, 5, -1, 2, into))
                        .getMessage());
        assertEquals("top-k must be 0 (every token) or 1 to 4, got 5",
                assertThrows(IllegalArgumentException.class,
                        () -> generator.sample(PROMPT, 4, -1, 1.0, 5, new Random(1), into)).getMessage());
        var tagger = (Encoder & Decoder & Classifier & Traceable) TestCompiler.instantiate(NETWORKS.loader(compiler), "test.UnfoldedTagger", 1);
        assertEquals("a generator feeds each output back as the next input, but UnfoldedTagger reads 4 tokens and"
                + " predicts 3 classes", assertThrows(IllegalArgumentException.class, () -> new Generator(tagger))
                .getMessage());
        // a bidirectional network is no Streaming: new Generator(both) does not compile (CapabilityTypesTest)
        var both = (Classifier & Traceable) TestCompiler.instantiate(NETWORKS.loader(compiler), "test.UnfoldedBoth", 1);
        assertFalse(both instanceof Streaming);
    }

    @EachCompiler
    void savedStatesComeBackExactly(TestCompiler compiler) {
        var net = words(compiler, 8);
        assertEquals(6 + 6 + 5, net.stateSize(), "the LSTM's h and c, the GRU's h");
        double[] y = new double[4];
        net.resetState();
        net.step(1, y);
        net.step(2, y);
        double[] saved = new double[net.stateSize() + 3];
        net.saveState(saved, 3);
        net.step(0, y);
        double[] afterZero = y.clone();
        net.step(3, y);
        net.restoreState(saved, 3);
        net.step(0, y);
        assertArrayEquals(afterZero, y, 0.0);
        assertEquals("into has 20 values, too few for a state of 17 values (the network's state size) from offset 4",
                assertThrows(IllegalArgumentException.class, () -> net.saveState(saved, 4)).getMessage());
    }
}
