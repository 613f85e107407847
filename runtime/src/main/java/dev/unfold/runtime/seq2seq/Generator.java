package dev.unfold.runtime.seq2seq;

import dev.unfold.Precision;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Streaming;
import dev.unfold.runtime.internal.Checks;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes token sequences with a network that predicts its own next input: a language model,
 * whose output classes are its input tokens. After a prompt, each step feeds the chosen token back
 * through the streaming {@code step}; generation stops at {@code maxLength} tokens or when the
 * end token is chosen (it is not written). Four ways to choose:
 * <ul>
 * <li>{@link #greedy}: the most probable token at every step;</li>
 * <li>{@link #sample} with a temperature T: token i drawn with probability ∝ p_i^(1/T), so below 1
 *     the likely tokens win more often and above 1 the unlikely ones get their chance;</li>
 * <li>{@link #sample} with top-k: drawn only among the k most probable tokens;</li>
 * <li>{@link #beamSearch}: the {@code width} most probable sequences so far are kept and each is
 *     extended by every token, keeping the best {@code width} again; the result is the most probable
 *     sequence found, by its summed log-probability.</li>
 * </ul>
 * Buffers are kept here and grow only for a longer or wider search than any before, so after the
 * first call nothing is allocated. The network's probabilities are read into a buffer of its own
 * precision ({@code float[]} for a float32 network); scores, the sums of their logarithms, are
 * {@code double} in both. Not thread-safe, like the network it drives.
 */
public final class Generator {
    /** In a beam's candidate list: the beam has ended and carries on unchanged. */
    private static final int ENDED = -1;

    private final Streaming model;
    private final int vocabulary;
    private final int stateSize;
    /** The probabilities of the next token, as a float64 network's {@code step} writes them; null for float32. */
    private final double[] probabilities;
    /** The same for a float32 network, which writes floats; null for float64. */
    private final float[] floatProbabilities;
    private final double[] weights;
    private final int[] ranked;
    private double lastScore;
    /** The state generation starts from, or null for a zero state. */
    private double[] initialState;

    // beam search: one row per beam, swapped between the beams of this step and of the next
    private int width;
    private int length;
    private double[] states = new double[0];
    private double[] advanced = new double[0];
    private double[] nextStates = new double[0];
    private int[][] tokens = new int[0][];
    private int[][] nextTokens = new int[0][];
    private int[] lengths = new int[0];
    private int[] nextLengths = new int[0];
    private int[] lastTokens = new int[0];
    private int[] nextLastTokens = new int[0];
    private double[] scores = new double[0];
    private double[] nextScores = new double[0];
    private boolean[] ended = new boolean[0];
    private boolean[] nextEnded = new boolean[0];
    private double[] candidateScores = new double[0];
    private int[] candidateBeams = new int[0];
    private int[] candidateTokens = new int[0];

    /**
     * @param model a network that streams (no bidirectional layer) and whose output classes are its
     *              input tokens ({@code outputSize() == inputSize()})
     */
    public <M extends Streaming & Classifier> Generator(M model) {
        this(model, Objects.requireNonNull(model, "model").inputSize());
    }

    /**
     * A generator that chooses only among tokens 0 to {@code tokens} − 1: for a network declared
     * wider than the vocabulary it was trained on (a character model of 96 classes trained on a
     * text of 68 characters), whose other classes mean nothing.
     */
    public <M extends Streaming & Classifier> Generator(M model, int tokens) {
        Objects.requireNonNull(model, "model");
        if (model.outputSize() != model.inputSize()) {
            throw new IllegalArgumentException("a generator feeds each output back as the next input, but "
                    + model.getClass().getSimpleName() + " reads " + model.inputSize() + " tokens and predicts "
                    + model.outputSize() + " classes");
        }
        if (tokens < 1 || tokens > model.inputSize()) {
            throw new IllegalArgumentException("the tokens to choose from must be 1 to " + model.inputSize()
                    + ", the network's vocabulary, got " + tokens);
        }
        this.model = model;
        this.vocabulary = tokens;
        this.stateSize = model.stateSize();
        boolean floats = model.precision() == Precision.FLOAT32;
        this.probabilities = floats ? null : new double[model.outputSize()];
        this.floatProbabilities = floats ? new float[model.outputSize()] : null;
        this.weights = new double[vocabulary];
        this.ranked = new int[vocabulary];
    }

    /**
     * Starts every later generation from {@code state} (as {@link Streaming#saveState} lays it
     * out), not from zero: a decoder's, from its encoder's final state. The array is read at each
     * generation, not copied; null goes back to a zero state.
     */
    public void startFrom(double[] state) {
        if (state != null) {
            Checks.finiteState("state", state, 0, stateSize);
        }
        this.initialState = state;
    }

    /** The summed log-probability of the last sequence generated (its end token included if chosen). */
    public double lastScore() {
        return lastScore;
    }

    /** The most probable token at every step; returns how many tokens went into {@code into}. */
    public int greedy(int[] prompt, int maxLength, int endToken, int[] into) {
        check(prompt, maxLength, endToken, into);
        return generate(prompt, maxLength, endToken, 1, 1, null, into);
    }

    /**
     * Tokens drawn from p^(1/T), renormalised, among the {@code topK} most probable (0: all);
     * returns how many went into {@code into}.
     */
    public int sample(int[] prompt, int maxLength, int endToken, double temperature, int topK,
                      RandomGenerator random, int[] into) {
        check(prompt, maxLength, endToken, into);
        Checks.positive("temperature", temperature);
        // a missing source of draws must not quietly become greedy choice
        Objects.requireNonNull(random, "random");
        if (topK < 0 || topK > vocabulary) {
            throw new IllegalArgumentException("top-k must be 0 (every token) or 1 to " + vocabulary + ", got " + topK);
        }
        return generate(prompt, maxLength, endToken, temperature, topK == 0 ? vocabulary : topK, random, into);
    }

    /** Chooses token after token (the most probable when {@code random} is null) until the end or the length. */
    private int generate(int[] prompt, int maxLength, int endToken, double temperature, int k,
                         RandomGenerator random, int[] into) {
        start(prompt);
        lastScore = 0;
        int count = 0;
        while (count < maxLength) {
            int token = random == null ? mostProbable() : draw(temperature, k, random);
            lastScore += Math.log(probability(token));
            if (token == endToken) {
                break;
            }
            into[count++] = token;
            step(token);
        }
        return count;
    }

    /**
     * Beam search of the given width; writes the most probable sequence found (by summed
     * log-probability, the end token's included when it ended) into {@code into} and returns its
     * length. Width 1 is greedy.
     */
    public int beamSearch(int[] prompt, int maxLength, int endToken, int width, int[] into) {
        check(prompt, maxLength, endToken, into);
        checkWidth(width, maxLength);
        reserve(width, maxLength);
        resetState();
        for (int t = 0; t < prompt.length - 1; t++) {
            step(prompt[t]);
        }
        int beams = 1;
        model.saveState(states, 0);
        lengths[0] = 0;
        lastTokens[0] = prompt[prompt.length - 1];
        scores[0] = 0;
        ended[0] = false;
        for (int step = 0; step < maxLength; step++) {
            int candidates = 0;
            boolean anyOpen = false;
            for (int b = 0; b < beams; b++) {
                if (ended[b]) {
                    candidates = offer(candidates, width, scores[b], b, ENDED);
                    continue;
                }
                anyOpen = true;
                model.restoreState(states, b * stateSize);
                step(lastTokens[b]);
                model.saveState(advanced, b * stateSize);
                for (int token = 0; token < vocabulary; token++) {
                    candidates = offer(candidates, width, scores[b] + Math.log(probability(token)), b, token);
                }
            }
            if (!anyOpen) {
                break;
            }
            for (int c = 0; c < candidates; c++) {
                extend(c, candidateBeams[c], candidateTokens[c], endToken);
            }
            beams = candidates;
            swapBeams();
        }
        // beams are kept best first; the first is the answer
        lastScore = scores[0];
        System.arraycopy(tokens[0], 0, into, 0, lengths[0]);
        return lengths[0];
    }

    /**
     * Refuses a width the beam buffers cannot hold. Each step keeps {@code width} states and token
     * sequences of up to {@code maxLength}, twice over (this step's and the next's), and ranks
     * {@code width} × the vocabulary candidates by insertion, so a width beyond what the heap holds
     * would end in an {@link OutOfMemoryError} (or an overflowing array size) rather than a search.
     */
    private void checkWidth(int width, int maxLength) {
        if (width < 1) {
            throw new IllegalArgumentException("the beam width must be at least 1, got " + width);
        }
        // per beam: three states of doubles, two token rows of ints, and a few scalars
        long bytesPerBeam = 3L * stateSize * Double.BYTES + 2L * (maxLength + 4L) * Integer.BYTES + 64;
        double bytes = (double) width * bytesPerBeam;   // a double: a long could overflow for an absurd width
        long available = Runtime.getRuntime().maxMemory();
        if ((long) width * stateSize > Integer.MAX_VALUE - 8 || bytes > available / 2.0) {
            throw new IllegalArgumentException("the beam width is " + width + ": its buffers need " + (long) bytes
                    + " bytes for states of " + stateSize + " values and up to " + maxLength + " tokens, more than a"
                    + " Java array or half of the " + available + " bytes this JVM may use holds; expected a width of"
                    + " at most "
                    + Math.max(1, Math.min((Integer.MAX_VALUE - 8L) / Math.max(1, stateSize), available / 2 / bytesPerBeam)));
        }
    }

    /** Next beam {@code c} from beam {@code parent} and {@code token} (or unchanged, if it had ended). */
    private void extend(int c, int parent, int token, int endToken) {
        nextScores[c] = candidateScores[c];
        System.arraycopy(tokens[parent], 0, nextTokens[c], 0, lengths[parent]);
        nextLengths[c] = lengths[parent];
        if (token == ENDED) {
            System.arraycopy(states, parent * stateSize, nextStates, c * stateSize, stateSize);
            nextEnded[c] = true;
            nextLastTokens[c] = lastTokens[parent];
            return;
        }
        System.arraycopy(advanced, parent * stateSize, nextStates, c * stateSize, stateSize);
        nextEnded[c] = token == endToken;
        if (!nextEnded[c]) {
            nextTokens[c][nextLengths[c]++] = token;
        }
        nextLastTokens[c] = token;
    }

    /** Keeps the {@code width} best candidates, best first; a tie keeps the one offered first. */
    private int offer(int count, int width, double score, int beam, int token) {
        if (count == width && !(score > candidateScores[count - 1])) {
            return count;
        }
        int at = Math.min(count, width - 1);
        while (at > 0 && score > candidateScores[at - 1]) {
            candidateScores[at] = candidateScores[at - 1];
            candidateBeams[at] = candidateBeams[at - 1];
            candidateTokens[at] = candidateTokens[at - 1];
            at--;
        }
        candidateScores[at] = score;
        candidateBeams[at] = beam;
        candidateTokens[at] = token;
        return Math.min(count + 1, width);
    }

    private void swapBeams() {
        double[] s = states;
        states = nextStates;
        nextStates = s;
        int[][] t = tokens;
        tokens = nextTokens;
        nextTokens = t;
        int[] l = lengths;
        lengths = nextLengths;
        nextLengths = l;
        int[] last = lastTokens;
        lastTokens = nextLastTokens;
        nextLastTokens = last;
        double[] sc = scores;
        scores = nextScores;
        nextScores = sc;
        boolean[] e = ended;
        ended = nextEnded;
        nextEnded = e;
    }

    /** Grows the beam buffers for {@code width} beams of up to {@code length} tokens. */
    private void reserve(int width, int length) {
        if (width <= this.width && length <= this.length) {
            return;
        }
        this.width = Math.max(width, this.width);
        this.length = Math.max(length, this.length);
        states = new double[this.width * stateSize];
        advanced = new double[this.width * stateSize];
        nextStates = new double[this.width * stateSize];
        tokens = new int[this.width][this.length];
        nextTokens = new int[this.width][this.length];
        lengths = new int[this.width];
        nextLengths = new int[this.width];
        lastTokens = new int[this.width];
        nextLastTokens = new int[this.width];
        scores = new double[this.width];
        nextScores = new double[this.width];
        ended = new boolean[this.width];
        nextEnded = new boolean[this.width];
        candidateScores = new double[this.width];
        candidateBeams = new int[this.width];
        candidateTokens = new int[this.width];
    }

    /** Runs the prompt from a fresh state, leaving the probabilities of the first token to choose. */
    private void start(int[] prompt) {
        resetState();
        for (int token : prompt) {
            step(token);
        }
    }

    /** One streaming step of the network on {@code token}, into the probabilities of its precision. */
    private void step(int token) {
        if (floatProbabilities != null) {
            model.step(token, floatProbabilities);
        } else {
            model.step(token, probabilities);
        }
    }

    /** The probability of {@code token} after the last step, widened from float for a float32 network. */
    private double probability(int token) {
        return floatProbabilities != null ? floatProbabilities[token] : probabilities[token];
    }

    private void resetState() {
        if (initialState == null) {
            model.resetState();
        } else {
            model.restoreState(initialState, 0);
        }
    }

    private int mostProbable() {
        int best = 0;
        for (int i = 1; i < vocabulary; i++) {
            if (probability(i) > probability(best)) {
                best = i;
            }
        }
        return best;
    }

    /** One token from p^(1/T) over the k most probable. */
    private int draw(double temperature, int k, RandomGenerator random) {
        int count = 0;
        for (int i = 0; i < vocabulary; i++) {
            // insertion into the k best so far, most probable first; ties keep the lower index first
            if (count == k && !(probability(i) > probability(ranked[k - 1]))) {
                continue;
            }
            int at = Math.min(count, k - 1);
            while (at > 0 && probability(i) > probability(ranked[at - 1])) {
                ranked[at] = ranked[at - 1];
                at--;
            }
            ranked[at] = i;
            count = Math.min(count + 1, k);
        }
        double largest = Math.log(probability(ranked[0]));
        double total = 0;
        for (int r = 0; r < k; r++) {
            // p^(1/T) relative to the largest, which becomes 1: no overflow at any temperature
            weights[r] = Math.exp((Math.log(probability(ranked[r])) - largest) / temperature);
            total += weights[r];
        }
        double u = random.nextDouble() * total;
        for (int r = 0; r < k; r++) {
            u -= weights[r];
            if (u < 0) {
                return ranked[r];
            }
        }
        return ranked[k - 1];   // rounding left u a hair above 0
    }

    private void check(int[] prompt, int maxLength, int endToken, int[] into) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(into, "into");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: generation needs at least one token to start from");
        }
        for (int t = 0; t < prompt.length; t++) {
            if (prompt[t] < 0 || prompt[t] >= vocabulary) {
                throw new IllegalArgumentException("prompt[" + t + "] is " + prompt[t] + ", outside the vocabulary [0, "
                        + vocabulary + ")");
            }
        }
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be 0 or more, got " + maxLength);
        }
        if (into.length < maxLength) {
            throw new IllegalArgumentException("into has room for " + into.length + " tokens, expected at least"
                    + " maxLength = " + maxLength);
        }
        if (endToken < -1 || endToken >= vocabulary) {
            throw new IllegalArgumentException("the end token is " + endToken + ": expected -1 (none) or a token in [0, "
                    + vocabulary + ")");
        }
    }
}
