package dev.unfold.samples;

import dev.unfold.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Unfold's sample programs: worked examples, trained and answered on the command line. */
@Command(name = "unfold",
        mixinStandardHelpOptions = true,
        version = "Unfold 0.1.0-SNAPSHOT",
        description = "Recurrent networks compiled to plain Java by an annotation processor: worked examples.",
        subcommands = {Main.Forecast.class, Main.Classify.class, Main.CharLm.class, Main.Translate.class,
                Main.Caption.class, Main.Memory.class, Main.EchoCommand.class, Main.Gradients.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The program's command line. A user's mistake (a bad option value, a file that cannot be read,
     * a run that diverged) is one line on standard error and exit code 2, not a stack trace.
     */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((exception, command, parsed) -> {
            if (exception instanceof IllegalArgumentException || exception instanceof IOException
                    || exception instanceof java.io.UncheckedIOException || exception instanceof ArithmeticException) {
                command.getErr().println(command.getColorScheme().errorText("unfold " + command.getCommandName()
                        + ": " + exception.getMessage()));
                return 2;
            }
            throw exception;
        });
    }

    /** With no sub-command, the first example. */
    @Override
    public void run() {
        new Forecast().call();
    }

    @Command(name = "forecast", mixinStandardHelpOptions = true,
            description = "Learn 8, 10, 12, 10, 8, 12, 10, 12 from windows of 4 and answer the next value.")
    static final class Forecast implements Callable<Integer> {
        @Option(names = "--networks", defaultValue = "10", description = "Networks to train and average (default: ${DEFAULT-VALUE}).")
        int networks;

        @Option(names = "--epochs", defaultValue = "1000", description = "Epochs per network (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--learning-rate", defaultValue = "0.01", description = "SGD step size η (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--folded", description = "The folded version: the state reads the previous output"
                + " (teacher forcing in training, its own prediction when forecasting) instead of the previous state.")
        boolean folded;

        @Override
        public Integer call() {
            ForecastSample.run(networks, epochs, learningRate, folded, System.out);
            return 0;
        }
    }

    @Command(name = "classify", mixinStandardHelpOptions = true,
            description = "Many-to-one classification of variable-length protein-like sequences.")
    static final class Classify implements Callable<Integer> {
        @Option(names = "--network", defaultValue = "simple",
                description = "simple (a tanh RNN, SGD, float64) or bilstm (a bidirectional LSTM, Adam, float32); default: ${DEFAULT-VALUE}.")
        String network;

        @Option(names = "--train", defaultValue = "2000", description = "Training sequences (default: ${DEFAULT-VALUE}).")
        int train;

        @Option(names = "--test", defaultValue = "1000", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--min-length", defaultValue = "10", description = "Shortest sequence (default: ${DEFAULT-VALUE}).")
        int minLength;

        @Option(names = "--max-length",
                description = "Longest sequence (default: 40 for simple, 428 for bilstm; over a few hundred"
                        + " steps a simple RNN's gradient vanishes).")
        Integer maxLength;

        @Option(names = "--epochs", description = "Passes over the training set (default: 60 for simple, 6 for bilstm).")
        Integer epochs;

        @Option(names = "--learning-rate", description = "Step size η (default: 0.05 for simple, 0.005 for bilstm).")
        Double learningRate;

        @Option(names = "--batch", defaultValue = "1",
                description = "Sequences per update: 1 for plain stochastic gradient descent, or more for one masked batched pass per update"
                        + " (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            ClassifySample.Model model = switch (network) {
                case "simple" -> ClassifySample.Model.SIMPLE;
                case "bilstm" -> ClassifySample.Model.BILSTM;
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--network must be simple or bilstm, got " + network);
            };
            ClassifySample.run(model, train, test, minLength, maxLength != null ? maxLength : model.maxLength,
                    epochs != null ? epochs : model.epochs, learningRate != null ? learningRate : model.learningRate,
                    batch, seed, System.out);
            return 0;
        }
    }

    @Command(name = "charlm", mixinStandardHelpOptions = true,
            description = "A character-level language model trained with truncated BPTT, writing samples as it learns;"
                    + " the networks compute in float32.")
    static final class CharLm implements Callable<Integer> {
        @Option(names = "--text", description = "A plain-text file to learn (default: Shakespeare's sonnets 1-80, bundled).")
        Path text;

        @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn (default: ${DEFAULT-VALUE}).")
        String cell;

        @Option(names = "--size", defaultValue = "128", description = "Units: 128 or 256 (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--epochs", defaultValue = "10", description = "Passes over the text (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--chunk", defaultValue = "50",
                description = "Characters per truncated-BPTT chunk (default: ${DEFAULT-VALUE}).")
        int chunk;

        @Option(names = "--streams", defaultValue = "32",
                description = "Parts of the text trained at once, one stateful batch per chunk (default: ${DEFAULT-VALUE}).")
        int streams;

        @Option(names = "--optimizer", defaultValue = "adam", description = "adam or adagrad (default: ${DEFAULT-VALUE}).")
        String optimizer;

        @Option(names = "--learning-rate",
                description = "η (default: 0.01 for adam, 0.002 with --streams 1; 0.1 for adagrad).")
        Double learningRate;

        @Option(names = "--characters", defaultValue = "0", description = "Use only the text's first N characters (0: all).")
        int characters;

        @Option(names = "--sample-length", defaultValue = "240", description = "Characters per sample (default: ${DEFAULT-VALUE}).")
        int sampleLength;

        @Option(names = "--temperatures", defaultValue = "0.5,1.0", split = ",",
                description = "Temperatures to sample at after each epoch (default: ${DEFAULT-VALUE}).")
        List<Double> temperatures;

        @Option(names = "--checkpoint", description = "Checkpoint file (default: unfold-runs/charlm-<cell><size>[-dropout].safetensors).")
        Path checkpoint;

        @Option(names = "--no-checkpoint", description = "Keep nothing on disk.")
        boolean noCheckpoint;

        @Option(names = "--fresh", description = "Delete the checkpoint first and start over.")
        boolean fresh;

        @Option(names = "--export-pytorch", paramLabel = "FILE",
                description = "After training, write the model for PyTorch's load_state_dict (and its alphabet beside it).")
        Path exportPyTorch;

        @Option(names = "--fast", description = "A quick run: 4,000 characters in one stream, 2 epochs, short samples.")
        boolean fast;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for weights and samples (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--dropout", description = "Train with dropout: p = 0.1 on the input character and 0.25 on"
                + " h_{t-1} where it enters W_hh (the models declare them); it overfits less on short texts.")
        boolean dropout;

        @Override
        public Integer call() throws IOException {
            String source = text == null ? "Shakespeare's sonnets 1-80 (bundled)" : text.toString();
            String content = text == null ? Corpus.bundled() : Files.readString(text);
            Path file = noCheckpoint ? null
                    : checkpoint != null ? checkpoint
                    : Path.of("unfold-runs", "charlm-" + cell + size + (dropout ? "-dropout" : "") + ".safetensors");
            if (fresh && file != null) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(Trainer.bestWeights(file));
                Files.deleteIfExists(CharLmSample.vocabularyFile(file));
            }
            // 4,000 characters cut into many streams would make a handful of updates an epoch
            int parts = fast ? 1 : streams;
            // an update over many streams averages many chunks' gradients: steadier, so it can take a longer step
            double rate = learningRate != null ? learningRate : optimizer.equals("adagrad") ? 0.1
                    : parts == 1 ? 0.002 : 0.01;
            CharLmSample.Settings settings = new CharLmSample.Settings(cell, size, fast ? 2 : epochs, chunk, parts, optimizer,
                    rate, fast ? 4000 : characters, fast ? 80 : sampleLength, temperatures, file, seed, dropout);
            CharModels.CharModel net = CharModels.create(cell, size, dropout, seed);
            CharLmSample.run(content, source, settings, net, System.out, System.err);
            if (exportPyTorch != null) {
                CharLmSample.exportPyTorch(net, content, source, settings, exportPyTorch, System.out);
            }
            return 0;
        }
    }

    @Command(name = "translate", mixinStandardHelpOptions = true,
            description = "Sequence to sequence: one encoder, two decoders; digit strings reversed and sorted;"
                    + " the networks compute in float32.")
    static final class Translate implements Callable<Integer> {
        @Option(names = "--pairs", defaultValue = "20000", description = "Training pairs (default: ${DEFAULT-VALUE}).")
        int pairs;

        @Option(names = "--min-length", defaultValue = "3", description = "Shortest string (default: ${DEFAULT-VALUE}).")
        int minLength;

        @Option(names = "--max-length", defaultValue = "7", description = "Longest string (default: ${DEFAULT-VALUE}).")
        int maxLength;

        @Option(names = "--epochs", defaultValue = "6", description = "Passes over the pairs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch", defaultValue = "32", description = "Pairs per update (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--learning-rate", defaultValue = "0.003", description = "Adam's η (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--scheduled-sampling", defaultValue = "0", paramLabel = "P",
                description = "How often a decoder reads its own prediction instead of the target while training"
                        + " (default: ${DEFAULT-VALUE}, teacher forcing).")
        double ownPredictions;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            TranslateSample.run(new TranslateSample.Settings(pairs, minLength, maxLength, epochs, batch, learningRate,
                    ownPredictions, seed), System.out, System.err);
            return 0;
        }
    }

    @Command(name = "caption", mixinStandardHelpOptions = true,
            description = "One-to-many: a number's digits in as a vector, its English name out, word by word.")
    static final class Caption implements Callable<Integer> {
        @Option(names = "--epochs", defaultValue = "20", description = "Passes over the numbers (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch", defaultValue = "16", description = "Numbers per update (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--learning-rate", defaultValue = "0.005", description = "Adam's η (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--every-step",
                description = "Feed the vector to every step through weights of its own (equations.md (7.1)) instead of"
                        + " starting the state from it.")
        boolean everyStep;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for the split and weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            CaptionSample.run(new CaptionSample.Settings(epochs, batch, learningRate, everyStep, seed), System.out,
                    System.err);
            return 0;
        }
    }

    @Command(name = "echo", mixinStandardHelpOptions = true,
            description = "A deep GRU names, at every step, the symbol it saw 6 steps before.")
    static final class EchoCommand implements Callable<Integer> {
        @Option(names = "--sequences", defaultValue = "1000", description = "Sequences per epoch (default: ${DEFAULT-VALUE}).")
        int sequences;

        @Option(names = "--epochs", defaultValue = "4", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--learning-rate", defaultValue = "0.003", description = "Adam's step size η (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            EchoSample.run(sequences, epochs, learningRate, seed, System.out);
            return 0;
        }
    }

    @Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Pascanu, Mikolov and Bengio (2013)'s long-range tasks at growing lengths: a simple tanh RNN,"
                    + " the same RNN with gradient clipping, and an LSTM, each trained with SGD for a fixed budget.",
                    "Prints a table of who learned what, and plots the training losses. Runs checkpoint as they go:"
                            + " the same command again resumes them."})
    static final class Memory implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--task", defaultValue = "all",
                description = "adding, order (the temporal order problem) or all (default: ${DEFAULT-VALUE}).")
        String task;

        @Option(names = "--lengths", split = ",", paramLabel = "T",
                description = "Sequence lengths, one table row each (default: 10,20,50,100; --fast: 5,10).")
        List<Integer> lengths;

        @Option(names = "--updates", description = "SGD steps per run (default: 3000; --fast: 500).")
        Integer updates;

        @Option(names = "--epoch", paramLabel = "UPDATES",
                description = "Updates between checkpoints and points of the loss curve (default: 50; --fast: 25).")
        Integer epoch;

        @Option(names = "--batch", defaultValue = "20",
                description = "Fresh sequences per update (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--learning-rate", defaultValue = "0.03", description = "SGD's step size η (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--momentum", defaultValue = "0.9", description = "SGD's momentum (default: ${DEFAULT-VALUE}).")
        double momentum;

        @Option(names = "--clip", defaultValue = "1.0",
                description = "Clipping threshold C: g · min(1, C/‖g‖) (default: ${DEFAULT-VALUE}).")
        double clip;

        @Option(names = "--test", description = "Held-out sequences per length (default: 1000; --fast: 200).")
        Integer test;

        @Option(names = "--seed", defaultValue = "1",
                description = "Seed for weights, training batches and test sets (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--jobs", description = "Runs trained at once (default: the number of cores).")
        Integer jobs;

        @Option(names = "--checkpoints", defaultValue = "unfold-runs/memory", paramLabel = "DIR",
                description = "Where runs checkpoint, in a folder per settings (default: ${DEFAULT-VALUE}).")
        Path checkpoints;

        @Option(names = "--fresh", description = "Delete these runs' checkpoints first and train them again.")
        boolean fresh;

        @Option(names = "--plot", defaultValue = "memory.png", paramLabel = "FILE",
                description = "PNG of the training losses; with --task all, one per task, named FILE-adding.png and"
                        + " FILE-order.png (default: ${DEFAULT-VALUE}).")
        Path plot;

        @Option(names = "--fast", description = "A quick check: lengths 5 and 10, 500 updates, 200 test sequences.")
        boolean fast;

        @Override
        public Integer call() throws Exception {
            MemorySettings settings;
            try {
                settings = settings();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            MemorySample.run(settings, System.out);
            return 0;
        }

        MemorySettings settings() {
            List<MemoryTask> tasks = new ArrayList<>();
            switch (task) {
                case "adding" -> tasks.add(new AddingProblem());
                case "order" -> tasks.add(new TemporalOrderProblem());
                case "all" -> {
                    tasks.add(new AddingProblem());
                    tasks.add(new TemporalOrderProblem());
                }
                default -> throw new IllegalArgumentException("--task must be adding, order or all, got " + task);
            }
            return new MemorySettings(tasks,
                    lengths != null ? lengths : fast ? List.of(5, 10) : List.of(10, 20, 50, 100),
                    updates != null ? updates : fast ? 500 : 3000,
                    epoch != null ? epoch : fast ? 25 : 50,
                    batch, learningRate, momentum, clip,
                    test != null ? test : fast ? 200 : 1000,
                    seed,
                    jobs != null ? jobs : Runtime.getRuntime().availableProcessors(),
                    checkpoints, plot, fresh);
        }
    }

    @Command(name = "gradients", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Vanishing gradients (equations.md (11.2)): the gradient ‖∂L/∂h_k‖ of a tanh RNN and an LSTM on the adding problem,"
                    + " by distance from the loss, λ1 of W_hh against 1/γ, the forget gates, and the gradient"
                    + " norms and clipping during training; two PNGs.")
    static final class Gradients implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--length", defaultValue = "20", description = "Sequence length T (default: ${DEFAULT-VALUE}).")
        int length;

        @Option(names = "--updates", defaultValue = "3000", description = "Updates per network (default: ${DEFAULT-VALUE}).")
        int updates;

        @Option(names = "--epoch", defaultValue = "100",
                description = "Updates per epoch, one point of the training plot (default: ${DEFAULT-VALUE}).")
        int epoch;

        @Option(names = "--batch", defaultValue = "20", description = "Fresh sequences per update (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--learning-rate", defaultValue = "0.03", description = "SGD's step size η (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--momentum", defaultValue = "0.9", description = "SGD's momentum (default: ${DEFAULT-VALUE}).")
        double momentum;

        @Option(names = "--clip", defaultValue = "1.0",
                description = "Clipping threshold C: g · min(1, C/‖g‖) (default: ${DEFAULT-VALUE}).")
        double clip;

        @Option(names = "--test", defaultValue = "500", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for weights and data (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--plot", defaultValue = "gradients.png", paramLabel = "FILE",
                description = "Where the PNGs go: FILE-distance.png and FILE-training.png (default: ${DEFAULT-VALUE}).")
        Path plot;

        @Override
        public Integer call() throws IOException {
            GradientsSample.Settings settings;
            try {
                settings = new GradientsSample.Settings(length, updates, epoch, batch, learningRate, momentum, clip, test,
                        seed, plot);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            GradientsSample.run(settings, System.out);
            return 0;
        }
    }
}
