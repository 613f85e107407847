package dev.unfold.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.Encoder;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.Autoregressive;
import dev.unfold.runtime.Contextual;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.data.ContextSequences;
import dev.unfold.runtime.data.Minibatches;
import dev.unfold.runtime.data.StreamChunks;
import dev.unfold.runtime.diagnostics.GradientMonitor;
import dev.unfold.runtime.diagnostics.GradientReport;
import dev.unfold.runtime.diagnostics.SpectralCheck;
import dev.unfold.runtime.internal.WeightInit;
import dev.unfold.runtime.optim.Adam;
import dev.unfold.runtime.optim.Clipping;
import dev.unfold.runtime.optim.LearningRateSchedule;
import dev.unfold.runtime.optim.Penalty;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.seq2seq.EncoderDecoder;
import dev.unfold.runtime.seq2seq.Generator;
import dev.unfold.runtime.seq2seq.SequencePairs;
import dev.unfold.runtime.train.Trainer;
import dev.unfold.runtime.train.TruncatedBptt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;

/**
 * Every public entry point of the runtime and of a generated network, called with each kind of bad
 * argument (null, an index out of range, a negative or absurd size, arrays of the wrong length,
 * NaN or infinity where values must be finite): each must refuse with an
 * {@link IllegalArgumentException} whose message names the argument, what was expected and what came
 * — or, for a null argument, a {@link NullPointerException} whose message is the argument's name, as
 * {@code Objects.requireNonNull} gives it throughout the runtime. Never an
 * {@code IndexOutOfBoundsException}, a {@code NegativeArraySizeException}, an
 * {@code OutOfMemoryError}, a bare {@code NullPointerException}, or silence.
 */
class EntryPointArgumentsTest {
    private static final CompiledSources NETWORKS = new CompiledSources(List.of(
            TestCompiler.inTestPackage("Regression",
                    "@Network(input = 3, output = 2)",
                    "public interface Regression extends Encoder, Decoder, Traceable {",
                    "    @Recurrent(hidden = 4) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Words",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY)",
                    "public interface Words extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Source",
                    "@Network(input = 5, output = 2, loss = Loss.CROSS_ENTROPY)",
                    "public interface Source extends Encoder, Decoder, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "}"),
            TestCompiler.inTestPackage("Folded",
                    "@Network(input = 3, output = 2)",
                    "public interface Folded extends Autoregressive, Traceable {",
                    "    @Recurrent(hidden = 5, recurrence = Recurrence.OUTPUT) Layer rnn();",
                    "}"),
            TestCompiler.inTestPackage("Captioner",
                    "@Network(input = 6, output = 6, loss = Loss.CROSS_ENTROPY, context = 3)",
                    "public interface Captioner extends Encoder, Decoder, Contextual, Classifier, Traceable {",
                    "    @Recurrent(hidden = 4, cell = Cell.LSTM) Layer lstm();",
                    "}")));

    private static <T extends SequenceModel> T network(TestCompiler compiler, String name) {
        return TestCompiler.instantiate(NETWORKS.loader(compiler), "test.Unfolded" + name, 1);
    }

    /** One bad call: what it is, the call, and what its error must say. */
    private record Case(String call, Executable run, Class<? extends RuntimeException> type, String message) {}

    private final List<Case> cases = new ArrayList<>();

    /** A bad value: an {@link IllegalArgumentException} whose message contains {@code message}. */
    private void refused(String call, String message, Executable run) {
        cases.add(new Case(call, run, IllegalArgumentException.class, message));
    }

    /** A null argument: a {@link NullPointerException} whose message is the argument's name. */
    private void nullRefused(String call, String argument, Executable run) {
        cases.add(new Case(call, run, NullPointerException.class, argument));
    }

    @EachCompiler
    void everyEntryPointRefusesBadArgumentsByName(TestCompiler compiler) {
        generatedNetworks(compiler);
        encoderDecoder(compiler);
        generator(compiler);
        parameters(compiler);
        trainingData(compiler);
        trainingLoop(compiler);
        diagnostics(compiler);
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            try {
                c.run().execute();
                failures.add(c.call() + ": returned normally");
            } catch (Throwable thrown) {
                boolean named = c.type() == NullPointerException.class
                        ? c.message().equals(thrown.getMessage())
                        : thrown.getMessage() != null && thrown.getMessage().contains(c.message());
                if (thrown.getClass() != c.type() || !named) {
                    failures.add(c.call() + ": expected " + c.type().getSimpleName() + " saying \"" + c.message()
                            + "\", got " + thrown);
                }
            }
        }
        assertTrue(cases.size() > 80, "the table covers the entry points");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " bad calls were not refused by name:\n  "
                    + String.join("\n  ", failures));
        }
    }

    private void generatedNetworks(TestCompiler compiler) {
        var regression = (Encoder & Decoder & Traceable) network(compiler, "Regression");
        var words = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words");
        var folded = (Autoregressive & Traceable) network(compiler, "Folded");
        var captioner = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Captioner");
        int state = regression.stateSize();
        double[][] xs = new double[3][3];
        double[][][] batch = {new double[2][3], new double[3][3]};

        nullRefused("forward(null tokens)", "tokens", () -> words.forward((int[]) null, new double[1][6]));
        refused("forward(token out of range)", "tokens[1] is 7", () -> words.forward(new int[] {0, 7}, new double[2][6]));
        nullRefused("forward(xs, null)", "ys", () -> regression.forward(xs, null));
        refused("backward(NaN input)", "xs[0][1] is NaN",
                () -> regression.backward(new double[][] {{0, Double.NaN, 0}}, new double[1][2]));
        refused("loss(ragged targets)", "targets[2] has 1 values, expected 2",
                () -> regression.loss(xs, new double[][] {{0, 0}, {0, 0}, {0}}));

        nullRefused("restoreState(null)", "from", () -> regression.restoreState(null, 0));
        refused("restoreState(NaN)", "from[2] is NaN", () -> regression.restoreState(withValue(state, 2, Double.NaN), 0));
        refused("restoreState(infinity past an offset)", "from[5] is Infinity",
                () -> regression.restoreState(withValue(state + 2, 5, Double.POSITIVE_INFINITY), 2));
        refused("restoreState(negative offset)", "offset is -1", () -> regression.restoreState(new double[state], -1));
        refused("saveState(too short)", "into has 2 values", () -> regression.saveState(new double[2], 0));
        refused("saveState(offset past the end)", "into has 4 values, too few for a state of 4 values (the network's"
                + " state size) from offset 1", () -> regression.saveState(new double[state], 1));
        nullRefused("finalState(null)", "into", () -> regression.finalState(null, 0));
        refused("initialStateGradient(too short)", "into has 3 values",
                () -> regression.initialStateGradient(new double[3], 0));
        nullRefused("backwardFromState(null gradient)", "gradient", () -> regression.backwardFromState(xs, null, 0));
        refused("backwardFromState(infinite gradient)", "gradient[0] is Infinity",
                () -> regression.backwardFromState(xs, withValue(state, 0, Double.POSITIVE_INFINITY), 0));
        refused("backwardFromState(tokens, NaN gradient)", "gradient[3] is NaN",
                () -> words.backwardFromState(new int[] {1}, withValue(words.stateSize(), 3, Double.NaN), 0));

        refused("setInitialStates(NaN)", "states[1][0] is NaN",
                () -> regression.setInitialStates(new double[][] {new double[state], withValue(state, 0, Double.NaN)}));
        refused("setInitialStates(empty)", "states is empty", () -> regression.setInitialStates(new double[0][]));
        refused("setInitialStates(null row)", "states[0] is null", () -> regression.setInitialStates(new double[1][]));
        refused("setInitialStates(short row)", "states[0] has 1 values, expected 4",
                () -> regression.setInitialStates(new double[][] {{0}}));
        nullRefused("backwardFromStates(null gradients)", "gradients", () -> regression.backwardFromStates(batch, null));
        refused("backwardFromStates(NaN gradient)", "gradients[1][3] is NaN",
                () -> regression.backwardFromStates(batch, new double[][] {new double[state],
                        withValue(state, 3, Double.NaN)}));
        refused("backwardFromStates(a gradient too many)", "gradients has 3 states, expected 2",
                () -> regression.backwardFromStates(batch, new double[3][state]));
        refused("backwardFromStates(tokens, infinite gradient)", "gradients[0][0] is -Infinity",
                () -> words.backwardFromStates(new int[][] {{1, 2}}, new double[][] {
                        withValue(words.stateSize(), 0, Double.NEGATIVE_INFINITY)}));
        nullRefused("finalStates(null)", "into", () -> regression.finalStates(null));
        refused("initialStateGradients(too few)", "into has 0 arrays", () -> {
            regression.backward(batch, new double[][][] {new double[2][2], new double[3][2]});
            regression.initialStateGradients(new double[0][]);
        });
        nullRefused("forward(batch, null)", "ys", () -> regression.forward(batch, null));
        refused("backward(batch, null target)", "sequence 1 of the batch: targets is null",
                () -> regression.backward(batch, new double[][][] {new double[2][2], null}));

        nullRefused("step(null)", "x", () -> regression.step(null, new double[2]));
        refused("step(token out of range)", "token is 9", () -> words.step(9, new double[6]));
        refused("stateGradientNorms(no such layer)", "layer is 5", () -> {
            regression.traceStateGradients(true);
            regression.backward(xs, new double[3][2]);
            regression.traceStateGradients(false);
            regression.stateGradientNorms(5, 0, new double[3]);
        });
        refused("stateGradientNorms(no reverse direction)", "direction is 1",
                () -> regression.stateGradientNorms(0, 1, new double[3]));
        refused("stateGradientNorms(wrong length)", "into has 2 values, expected 3",
                () -> regression.stateGradientNorms(0, 0, new double[2]));

        refused("setContext(NaN)", "context[1] is NaN", () -> captioner.setContext(new double[] {0, Double.NaN, 0}));
        nullRefused("setContext(null)", "context", () -> captioner.setContext(null));
        nullRefused("setContexts(null)", "contexts", () -> captioner.setContexts(null));
        refused("setContexts(empty)", "contexts is empty", () -> captioner.setContexts(new double[0][]));
        refused("setContexts(null row)", "contexts[1] is null",
                () -> captioner.setContexts(new double[][] {new double[3], null}));
        refused("setContexts(short row)", "contexts[0] has 2 values, expected 3",
                () -> captioner.setContexts(new double[][] {new double[2]}));
        refused("setContexts(infinity)", "contexts[0][2] is Infinity",
                () -> captioner.setContexts(new double[][] {{0, 0, Double.POSITIVE_INFINITY}}));
        refused("backward(a batch of 2 after 1 context)", "the batch has 2 sequences but setContexts gave 1", () -> {
            captioner.setContexts(new double[1][3]);
            captioner.backward(new int[][] {{1}, {2}}, new int[][] {{1}, {2}});
        });

        nullRefused("setScheduledSampling(0.5, null)", "random (the coin flips of scheduled sampling)",
                () -> folded.setScheduledSampling(0.5, null));
        refused("setScheduledSampling(NaN)", "must be in [0, 1], got NaN",
                () -> folded.setScheduledSampling(Double.NaN, new Random(1)));
        refused("backward(one-by-one batch, null target)", "sequence 1 of the batch: targets is null",
                () -> folded.backward(batch, new double[][][] {new double[2][2], null}));
        refused("forward(one-by-one batch, short output)", "sequence 0 of the batch: ys has 1 rows, expected 2",
                () -> folded.forward(batch, new double[][][] {new double[1][2], new double[3][2]}));
    }

    /** A null array of decoders, typed as EncoderDecoder takes them. */
    private static <D extends Decoder & Classifier> D[] nullDecoders() {
        return null;
    }

    private void encoderDecoder(TestCompiler compiler) {
        var source = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Source");
        var words = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words");
        EncoderDecoder model = new EncoderDecoder(source, words);
        int[] sentence = {1, 4, 0};
        int[] inputs = {0, 3, 5};
        int[] labels = {3, 5, 1};
        Random random = new Random(3);

        nullRefused("new EncoderDecoder(null, …)", "encoder", () -> new EncoderDecoder(null, words));
        nullRefused("new EncoderDecoder(…, null array)", "decoders",
                () -> new EncoderDecoder(source, nullDecoders()));
        refused("new EncoderDecoder(…, null decoder)", "decoders[1] is null", () -> new EncoderDecoder(source, words, null));
        refused("backward(decoder out of range)", "d is 3, expected one of [0, 1) (the decoders)",
                () -> model.backward(sentence, 3, inputs, labels));
        refused("backward(dense, negative decoder)", "d is -1", () -> model.backward(new double[2][5], -1, inputs, labels));
        refused("loss(decoder out of range)", "d is 1", () -> model.loss(sentence, 1, inputs, labels));
        refused("decoder(2)", "d is 2", () -> model.decoder(2));
        refused("generator(5)", "d is 5", () -> model.generator(5));
        refused("encodeFor(decoder out of range)", "d is 9", () -> model.encodeFor(sentence, 9));
        refused("backward(empty inputs, scheduled sampling)", "inputs is empty",
                () -> model.backward(sentence, 0, new int[0], new int[0], 0.5, random));
        nullRefused("backward(scheduled sampling, null random)", "random (the draws of scheduled sampling)",
                () -> model.backward(sentence, 0, inputs, labels, 0.5, null));
        nullRefused("backward(null source)", "source", () -> model.backward((int[]) null, 0, inputs, labels));
        refused("backward(source token out of range)", "source[2] is 5",
                () -> model.backward(new int[] {1, 2, 5}, 0, inputs, labels));
        refused("backward(too few labels)", "labels has 2 rows, expected 3",
                () -> model.backward(sentence, 0, inputs, new int[] {1, 2}));
        refused("loss(input token out of range)", "inputs[1] is 99", () -> model.loss(sentence, 0, new int[] {0, 99, 1},
                labels));
        refused("backward(batch, decoder out of range)", "decoders[1] is 4",
                () -> model.backward(new int[][] {sentence, sentence}, new int[] {0, 4}, new int[][] {inputs, inputs},
                        new int[][] {labels, labels}));
        nullRefused("backward(batch, null sources)", "sources",
                () -> model.backward((int[][]) null, new int[] {0}, new int[][] {inputs}, new int[][] {labels}));
        refused("backward(batch, a bad label in pair 1)", "pair 1 of the batch: labels[0] is 6",
                () -> model.backward(new int[][] {sentence, sentence}, new int[] {0, 0}, new int[][] {inputs, inputs},
                        new int[][] {labels, {6, 1, 1}}));
        refused("backward(batch, scheduled sampling, empty inputs)", "pair 0 of the batch: inputs is empty",
                () -> model.backward(new int[][] {sentence}, new int[] {0}, new int[][] {{}}, new int[][] {{}}, 0.5,
                        random));
    }

    private void generator(TestCompiler compiler) {
        var words = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words");
        Generator generator = new Generator(words);
        int[] prompt = {0};
        int[] into = new int[8];

        nullRefused("new Generator(null)", "model", () -> new Generator(null));
        nullRefused("new Generator(null, 3)", "model", () -> new Generator(null, 3));
        nullRefused("greedy(null prompt)", "prompt", () -> generator.greedy(null, 5, -1, into));
        nullRefused("greedy(null into)", "into", () -> generator.greedy(prompt, 5, -1, null));
        refused("greedy(negative length)", "maxLength must be 0 or more, got -1",
                () -> generator.greedy(prompt, -1, -1, into));
        refused("greedy(too little room)", "into has room for 8 tokens, expected at least maxLength = 9",
                () -> generator.greedy(prompt, 9, -1, into));
        refused("beamSearch(width 2^27)", "the beam width is 134217728",
                () -> generator.beamSearch(prompt, 5, -1, 1 << 27, into));
        refused("beamSearch(width Integer.MAX_VALUE)", "the beam width is 2147483647",
                () -> generator.beamSearch(prompt, 5, -1, Integer.MAX_VALUE, into));
        refused("beamSearch(width 0)", "the beam width must be at least 1, got 0",
                () -> generator.beamSearch(prompt, 5, -1, 0, into));
        nullRefused("sample(null random)", "random", () -> generator.sample(prompt, 5, -1, 1.0, 0, null, into));
        refused("sample(NaN temperature)", "temperature must be positive and finite, got NaN",
                () -> generator.sample(prompt, 5, -1, Double.NaN, 0, new Random(1), into));
        refused("startFrom(NaN)", "state[0] is NaN", () -> generator.startFrom(withValue(words.stateSize(), 0, Double.NaN)));
        refused("startFrom(too short)", "state has 2 values", () -> generator.startFrom(new double[2]));
    }

    private void parameters(TestCompiler compiler) {
        var regression = (Encoder & Decoder & Traceable) network(compiler, "Regression");
        Parameters parameters = regression.parameters();
        int size = parameters.size();

        refused("Parameters.get(-1)", "index is -1, expected one of [0, " + size + ")", () -> parameters.get(-1));
        refused("Parameters.get(size)", "index is " + size, () -> parameters.get(size));
        nullRefused("Parameters.get(null)", "name", () -> parameters.get((String) null));
        refused("scaleGradients(NaN)", "scale must be finite, got NaN", () -> parameters.scaleGradients(Double.NaN));
        nullRefused("withPrefix(null)", "prefix", () -> parameters.withPrefix(null));
        nullRefused("new Parameters(null)", "parameters", () -> new Parameters(null));
        refused("new Parameters(a null parameter)", "parameters[0] is null",
                () -> new Parameters(java.util.Arrays.asList((Parameter) null)));
        refused("Parameter.matrix(too large)", "more than a Java array holds",
                () -> Parameter.matrix("w", 100_000, 100_000));
        nullRefused("save(null)", "file", () -> parameters.save(null));
        nullRefused("load(null)", "file", () -> parameters.load(null));
        refused("WeightInit.uniform(NaN bound)", "bound must be non-negative and finite, got NaN",
                () -> WeightInit.uniform(parameters.get(0), Double.NaN, new Random(1)));
        nullRefused("WeightInit.uniform(null random)", "random", () -> WeightInit.uniform(parameters.get(0), 0.1, null));
    }

    private void trainingData(TestCompiler compiler) {
        var regression = (Encoder & Decoder & Traceable) network(compiler, "Regression");
        var words = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words");
        var captioner = (Encoder & Decoder & Contextual & Classifier & Traceable) network(compiler, "Captioner");
        EncoderDecoder pairs = new EncoderDecoder(network(compiler, "Source"), network(compiler, "Words"));
        double[][][] xs = {new double[2][3], new double[3][3]};
        double[][][] targets = {new double[2][2], new double[3][2]};
        int[][] tokens = {{1, 2}, {3}, {4, 5, 0}, {9, 1}};
        int[][] tokenLabels = {{1, 2}, {3}, {4, 5, 0}, {1, 1}};

        nullRefused("Minibatches.of(model, null xs, …)", "xs",
                () -> Minibatches.of(regression, (double[][][]) null, targets, 2));
        nullRefused("Minibatches.of(null, …)", "model", () -> Minibatches.of(null, xs, targets, 2));
        nullRefused("Minibatches.of(…, null targets, …)", "targets",
                () -> Minibatches.of(regression, xs, (double[][][]) null, 2));
        nullRefused("Minibatches.of(…, null labels, …)", "labels", () -> Minibatches.of(words, tokens, (int[][]) null, 2));
        refused("Minibatches.of(a bad token in sequence 3)", "sequence 3 of tokens: tokens[0] is 9",
                () -> Minibatches.of(words, tokens, tokenLabels, 2));
        refused("Minibatches.of(targets of the wrong width)", "sequence 1 of xs: targets[0] has 1 values, expected 2",
                () -> Minibatches.of(regression, xs, new double[][][] {new double[2][2], new double[3][1]}, 2));
        refused("Minibatches.of(batch size 0)", "batch size must be at least 1, got 0",
                () -> Minibatches.of(regression, xs, targets, 0));

        refused("StreamChunks.nextToken(a token out of range)", "inputs[2] is 7",
                () -> StreamChunks.nextToken(words, new int[] {1, 2, 7, 3}, 2));
        refused("StreamChunks.nextToken(a label out of range)", "labels[2] is 6",
                () -> StreamChunks.nextToken(words, new int[] {1, 2, 3, 6}, 2));
        nullRefused("new StreamChunks(null inputs)", "inputs", () -> new StreamChunks(words, null, new int[2], 2));
        nullRefused("StreamChunks.nextToken(null model)", "model", () -> StreamChunks.nextToken(null, new int[3], 2));
        refused("StreamChunks.outputs(-1)", "update -1 is outside",
                () -> StreamChunks.nextToken(words, new int[] {1, 2, 3}, 2).outputs(-1));
        nullRefused("new TruncatedBptt(null)", "model", () -> new TruncatedBptt(null, 3));
        refused("TruncatedBptt.count(-1)", "steps must be non-negative, got -1",
                () -> new TruncatedBptt(words, 3).count(-1));
        nullRefused("TruncatedBptt.backward(null tokens)", "tokens", () -> {
            TruncatedBptt.OfClassifier chunks = new TruncatedBptt.OfClassifier(words, 3);
            chunks.restart();
            chunks.backward((int[]) null, new int[3], 0);
        });

        double[][] contexts = {new double[3], {Double.NaN, 0, 0}};
        refused("new ContextSequences(NaN context)", "contexts[1][0] is NaN",
                () -> new ContextSequences(captioner, contexts, new int[][] {{1}, {2}}, new int[][] {{1}, {2}}, 2));
        refused("new ContextSequences(a bad label)", "sequence 1 of inputs: labels[0] is 6",
                () -> new ContextSequences(captioner, new double[2][3], new int[][] {{1}, {2}}, new int[][] {{1}, {6}},
                        2));
        nullRefused("new ContextSequences(null model)", "model",
                () -> new ContextSequences(null, new double[1][3], new int[][] {{1}}, new int[][] {{1}}, 1));
        refused("ContextSequences.teacherForced(start token out of range)", "startToken is 99",
                () -> ContextSequences.teacherForced(captioner, new double[1][3], new int[][] {{1}}, 99, 0, 1));

        int[][] sources = {{1, 2}};
        refused("SequencePairs.of(decoder out of range)", "decoders[0] is 5",
                () -> SequencePairs.of(pairs, sources, new int[] {5}, new int[][] {{1}}, 0, 1, 1));
        refused("SequencePairs.of(a target token out of range)", "pair 0 of the pairs: inputs[1] is 9",
                () -> SequencePairs.of(pairs, sources, new int[] {0}, new int[][] {{9}}, 0, 1, 1));
        refused("SequencePairs.of(a source token out of range)", "pair 0 of the pairs: source[1] is 7",
                () -> SequencePairs.of(pairs, new int[][] {{1, 7}}, new int[] {0}, new int[][] {{1}}, 0, 1, 1));
        refused("SequencePairs.of(start token out of range)", "startToken is 42",
                () -> SequencePairs.of(pairs, sources, new int[] {0}, new int[][] {{1}}, 42, 1, 1));
        nullRefused("SequencePairs.of(null sources)", "sources",
                () -> SequencePairs.of(pairs, (int[][]) null, new int[] {0}, new int[][] {{1}}, 0, 1, 1));
    }

    private void trainingLoop(TestCompiler compiler) {
        var regression = (Encoder & Decoder & Traceable) network(compiler, "Regression");
        Parameters parameters = regression.parameters();
        Sgd sgd = new Sgd(parameters, 0.1);
        Trainer trainer = new Trainer(regression, sgd);

        nullRefused("new Trainer(null model)", "model", () -> new Trainer((SequenceModel) null, sgd));
        nullRefused("new Trainer(null optimizer)", "optimizer", () -> new Trainer(regression, null));
        nullRefused("new Trainer(null parameters)", "parameters", () -> new Trainer((Parameters) null, sgd));
        nullRefused("Trainer.listener(null)", "listener", () -> trainer.listener(null));
        nullRefused("Trainer.schedule(null)", "schedule", () -> trainer.schedule(null));
        nullRefused("Trainer.penalty(null)", "penalty", () -> trainer.penalty(null));
        nullRefused("Trainer.validation(null, 0)", "validation", () -> trainer.validation(null, 0));
        nullRefused("Trainer.checkpoint(null)", "file", () -> trainer.checkpoint(null));
        nullRefused("Trainer.fit(null)", "training", () -> trainer.fit(null));
        refused("Trainer.epochs(0)", "epochs must be at least 1, got 0", () -> trainer.epochs(0));
        refused("Trainer.clipNorm(NaN)", "maxNorm must be positive and finite, got NaN", () -> trainer.clipNorm(Double.NaN));
        nullRefused("new Sgd(null, …)", "parameters", () -> new Sgd(null, 0.1));
        nullRefused("new Adam(…, null options)", "options", () -> new Adam(parameters, 0.1, (Adam.Options) null));
        refused("new Adam(learning rate ∞)", "learning rate must be positive and finite, got Infinity",
                () -> new Adam(parameters, Double.POSITIVE_INFINITY));
        refused("Optimizer.setLearningRate(0)", "learning rate must be positive and finite, got 0.0",
                () -> sgd.setLearningRate(0));
        nullRefused("Clipping.globalNorm(null)", "parameters", () -> Clipping.globalNorm(null));
        nullRefused("Clipping.clipGlobalNorm(null, 1)", "parameters", () -> Clipping.clipGlobalNorm(null, 1));
        nullRefused("Penalty.addTo(null)", "parameters", () -> Penalty.l2(0.1).addTo(null));
        nullRefused("LearningRateSchedule.applyTo(null)", "optimizer",
                () -> LearningRateSchedule.constant(0.1).applyTo(null));
        refused("LearningRateSchedule.rate(-1)", "step must be non-negative, got -1",
                () -> LearningRateSchedule.constant(0.1).rate(-1));
    }

    private void diagnostics(TestCompiler compiler) {
        var regression = (Encoder & Decoder & Traceable) network(compiler, "Regression");
        var words = (Encoder & Decoder & Classifier & Traceable) network(compiler, "Words");
        nullRefused("new GradientMonitor(null)", "parameters", () -> new GradientMonitor(null));
        nullRefused("GradientReport.of(null xs)", "xs", () -> GradientReport.of(regression, (double[][]) null,
                new double[1][2]));
        nullRefused("GradientReport.of(null model)", "model", () -> GradientReport.of(null, new int[] {1}, new int[] {1}));
        refused("GradientReport.of(a label out of range)", "labels[0] is 6",
                () -> GradientReport.of(words, new int[] {1}, new int[] {6}));
        refused("SpectralCheck.of(reverse of a forward layer)", "reverse is true, but rnn runs forward only",
                () -> SpectralCheck.of(regression.layers().get(0), true));
        nullRefused("SpectralCheck.of(null layer)", "layer", () -> SpectralCheck.of(null, false));
        refused("forgetGates(a short last row)", "into[2] has 3 values, expected 4", () -> {
            words.traceStateGradients(true);
            words.backward(new int[] {1, 2, 3}, new int[] {2, 3, 4});
            words.forgetGates(0, 0, new double[][] {new double[4], new double[4], new double[3]});
        });
    }

    private static double[] withValue(int length, int at, double value) {
        double[] values = new double[length];
        values[at] = value;
        return values;
    }
}
