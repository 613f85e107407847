package dev.unfold.runtime.seq2seq;

import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.Decoder;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.Precisions;
import dev.unfold.runtime.internal.ShuffledUpdates;
import dev.unfold.runtime.train.TrainingData;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Source and target sequences for an {@link EncoderDecoder}, in minibatches of up to
 * {@code batchSize} pairs, shuffled each epoch from its seed. Each pair names the decoder that learns it, so one
 * set of pairs can train several decoders and their shared encoder. A target y_1..y_T becomes
 * teacher forcing's decoder inputs (the start token, y_1, …, y_T) and labels (y_1, …, y_T, the end
 * token): the decoder learns to say each next token and when to stop. A minibatch runs as masked
 * batched passes ({@link EncoderDecoder#backward(int[][], int[], int[][], int[][])}), with scheduled
 * sampling too. Built once; an update allocates nothing. Dense sources are {@code double} arrays
 * for float64 networks and {@code float} arrays for float32 ones; token sources fit both.
 */
public final class SequencePairs implements TrainingData {
    private final ShuffledUpdates order;
    private final EncoderDecoder model;
    private final int[][] tokenSources;
    /** Dense sources, {@code double[][][]} or {@code float[][][]} as the networks' precision is; null for tokens. */
    private final Object[] denseSources;
    private final int[] decoders;
    private final int[][] inputs;
    private final int[][] labels;
    private double ownPredictions;
    private SplittableRandom random = new SplittableRandom(0);
    /** The arrays a minibatch is gathered into: full ones, and the smaller last one of an epoch. */
    private final Batch full;
    private final Batch last;

    private record Batch(int[][] tokenSources, Object[] denseSources, int[] decoders, int[][] inputs,
                         int[][] labels) {
        /** A batch of {@code size} pairs, its dense sources of the same array type as {@code dense} (null for tokens). */
        Batch(int size, Object[] dense) {
            this(dense == null ? new int[size][] : null, dense == null ? null
                    : (Object[]) java.lang.reflect.Array.newInstance(dense.getClass().getComponentType(), size),
                    new int[size], new int[size][], new int[size][]);
        }
    }

    /**
     * Token sources; {@code decoders[i]} is the decoder that learns to answer {@code sources[i]}
     * with {@code targets[i]}.
     */
    public static SequencePairs of(EncoderDecoder model, int[][] sources, int[] decoders, int[][] targets,
                                   int startToken, int endToken, int batchSize) {
        return new SequencePairs(model, sources, null, decoders, targets, startToken, endToken, batchSize);
    }

    /** {@link #of(EncoderDecoder, int[][], int[], int[][], int, int, int)} for sources of dense vectors. */
    public static SequencePairs of(EncoderDecoder model, double[][][] sources, int[] decoders, int[][] targets,
                                   int startToken, int endToken, int batchSize) {
        return new SequencePairs(model, null, sources, decoders, targets, startToken, endToken, batchSize);
    }

    /** {@link #of(EncoderDecoder, double[][][], int[], int[][], int, int, int)} for float32 networks. */
    public static SequencePairs of(EncoderDecoder model, float[][][] sources, int[] decoders, int[][] targets,
                                   int startToken, int endToken, int batchSize) {
        return new SequencePairs(model, null, sources, decoders, targets, startToken, endToken, batchSize);
    }

    private SequencePairs(EncoderDecoder model, int[][] tokenSources, Object[] denseSources, int[] decoders,
                          int[][] targets, int startToken, int endToken, int batchSize) {
        this.order = new ShuffledUpdates(counted(model, tokenSources, denseSources, decoders, targets), batchSize);
        this.model = model;
        this.tokenSources = tokenSources;
        this.denseSources = denseSources;
        int count = tokenSources != null ? tokenSources.length : denseSources.length;
        for (int i = 0; i < count; i++) {
            if (decoders[i] < 0 || decoders[i] >= model.decoderCount()) {
                Checks.index("decoders[" + i + "]", decoders[i], model.decoderCount(), "the decoders");
            }
            Decoder decoder = model.decoder(decoders[i]);
            Checks.index("startToken", startToken, decoder.inputSize(), "the input tokens of decoder " + decoders[i]);
            Checks.index("endToken", endToken, decoder.outputSize(), "the output classes of decoder " + decoders[i]);
        }
        this.decoders = decoders.clone();
        this.inputs = new int[count][];
        this.labels = new int[count][];
        for (int i = 0; i < count; i++) {
            int[] target = targets[i];
            if (target == null) {
                throw new IllegalArgumentException("targets[" + i + "] is null");
            }
            inputs[i] = new int[target.length + 1];
            labels[i] = new int[target.length + 1];
            inputs[i][0] = startToken;
            System.arraycopy(target, 0, inputs[i], 1, target.length);
            System.arraycopy(target, 0, labels[i], 0, target.length);
            labels[i][target.length] = endToken;
        }
        // every pair checked against its decoder now, rather than in the middle of an epoch
        model.checkPairs(tokenSources != null ? tokenSources : denseSources, this.decoders, inputs, labels, "the pairs");
        this.full = new Batch(order.fullSize(), denseSources);
        this.last = order.lastSize() == order.fullSize() ? full : new Batch(order.lastSize(), denseSources);
    }

    /** The number of pairs, once the arrays are there and agree in length. */
    private static int counted(EncoderDecoder model, int[][] tokenSources, Object[] denseSources, int[] decoders,
                               int[][] targets) {
        Objects.requireNonNull(model, "model");
        Object[] sources = Objects.requireNonNull(tokenSources != null ? tokenSources : denseSources, "sources");
        Precisions.requireData(model.encoder(), "SequencePairs.of", sources);
        Objects.requireNonNull(decoders, "decoders");
        Objects.requireNonNull(targets, "targets");
        if (sources.length == 0 || decoders.length != sources.length || targets.length != sources.length) {
            throw new IllegalArgumentException("expected one decoder and one target per source and at least one pair:"
                    + " " + sources.length + " sources, " + decoders.length + " decoders, " + targets.length
                    + " targets");
        }
        return sources.length;
    }

    /**
     * Scheduled sampling for token sources: at each step the decoder reads its own prediction
     * instead of the target with this probability (see
     * {@link EncoderDecoder#backward(int[], int, int[], int[], double, RandomGenerator)}); the draws
     * come from each epoch's seed, so resumed runs repeat them. 0, the default, is teacher forcing.
     */
    public SequencePairs scheduledSampling(double ownPredictions) {
        if (!(ownPredictions >= 0 && ownPredictions <= 1)) {
            throw new IllegalArgumentException("the probability of reading its own predictions must be in [0, 1], got "
                    + ownPredictions);
        }
        if (ownPredictions > 0 && tokenSources == null) {
            throw new IllegalArgumentException("scheduled sampling is built for token sources; these are dense");
        }
        this.ownPredictions = ownPredictions;
        return this;
    }

    @Override
    public int updates() {
        return order.updates();
    }

    @Override
    public void startEpoch(long seed) {
        order.shuffle(seed);
        random = new SplittableRandom(seed);   // scheduled sampling's draws, repeated by a resumed run
    }

    @Override
    public double backward(int update) {
        if (order.end(update) - order.first(update) > 1) {
            Batch batch = gather(update);
            return batch.tokenSources() != null
                    ? model.backward(batch.tokenSources(), batch.decoders(), batch.inputs(), batch.labels(),
                            ownPredictions, random)
                    : batch.denseSources() instanceof float[][][] floats
                    ? model.backward(floats, batch.decoders(), batch.inputs(), batch.labels())
                    : model.backward((double[][][]) batch.denseSources(), batch.decoders(), batch.inputs(),
                            batch.labels());
        }
        double loss = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            int p = order.example(i);
            if (ownPredictions > 0) {
                loss += model.backward(tokenSources[p], decoders[p], inputs[p], labels[p], ownPredictions, random);
            } else if (tokenSources != null) {
                loss += model.backward(tokenSources[p], decoders[p], inputs[p], labels[p]);
            } else {
                loss += denseSources[p] instanceof float[][] rows
                        ? model.backward(rows, decoders[p], inputs[p], labels[p])
                        : model.backward((double[][]) denseSources[p], decoders[p], inputs[p], labels[p]);
            }
        }
        return loss;
    }

    @Override
    public Parameters parameters() {
        return model.parameters();
    }

    @Override
    public double loss(int update) {
        double loss = 0;
        for (int i = order.first(update), end = order.end(update); i < end; i++) {
            int p = order.example(i);
            if (tokenSources != null) {
                loss += model.loss(tokenSources[p], decoders[p], inputs[p], labels[p]);
            } else {
                loss += denseSources[p] instanceof float[][] rows
                        ? model.loss(rows, decoders[p], inputs[p], labels[p])
                        : model.loss((double[][]) denseSources[p], decoders[p], inputs[p], labels[p]);
            }
        }
        return loss;
    }

    private Batch gather(int update) {
        int first = order.first(update);
        int end = order.end(update);
        Batch batch = order.isFull(update) ? full : last;
        for (int i = first; i < end; i++) {
            int p = order.example(i);
            int b = i - first;
            if (tokenSources != null) {
                batch.tokenSources()[b] = tokenSources[p];
            } else {
                batch.denseSources()[b] = denseSources[p];
            }
            batch.decoders()[b] = decoders[p];
            batch.inputs()[b] = inputs[p];
            batch.labels()[b] = labels[p];
        }
        return batch;
    }

    @Override
    public int outputs(int update) {
        return order.labelCount(update, labels);
    }

}
