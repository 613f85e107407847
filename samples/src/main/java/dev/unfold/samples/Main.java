package dev.unfold.samples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Unfold's sample programs: the seeds' examples, trained and answered on the command line. */
@Command(name = "unfold",
        mixinStandardHelpOptions = true,
        version = "Unfold 0.1.0-SNAPSHOT",
        description = "Recurrent networks compiled to plain Java by an annotation processor: the seeds' examples.",
        subcommands = {Main.Forecast.class, Main.Classify.class, Main.EchoCommand.class, Main.Memory.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** With no sub-command, the first example. */
    @Override
    public void run() {
        new Forecast().call();
    }

    @Command(name = "forecast", mixinStandardHelpOptions = true,
            description = "Seed 002: learn 8, 10, 12, 10, 8, 12, 10, 12 from windows of 4 and answer the next value.")
    static final class Forecast implements Callable<Integer> {
        @Option(names = "--networks", defaultValue = "10", description = "Networks to train and average (default: ${DEFAULT-VALUE}).")
        int networks;

        @Option(names = "--epochs", defaultValue = "1000", description = "Epochs per network (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--learning-rate", defaultValue = "0.01", description = "SGD step size η (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Override
        public Integer call() {
            ForecastSample.run(networks, epochs, learningRate, System.out);
            return 0;
        }
    }

    @Command(name = "classify", mixinStandardHelpOptions = true,
            description = "Seed 002: many-to-one classification of variable-length protein-like sequences.")
    static final class Classify implements Callable<Integer> {
        @Option(names = "--network", defaultValue = "simple",
                description = "simple (a tanh RNN, SGD) or bilstm (a bidirectional LSTM, Adam); default: ${DEFAULT-VALUE}.")
        String network;

        @Option(names = "--train", defaultValue = "2000", description = "Training sequences (default: ${DEFAULT-VALUE}).")
        int train;

        @Option(names = "--test", defaultValue = "1000", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--min-length", defaultValue = "10", description = "Shortest sequence (default: ${DEFAULT-VALUE}).")
        int minLength;

        @Option(names = "--max-length",
                description = "Longest sequence (default: 40 for simple, the seed's 428 for bilstm; over a few hundred"
                        + " steps a simple RNN's gradient vanishes).")
        Integer maxLength;

        @Option(names = "--epochs", description = "Passes over the training set (default: 25 for simple, 6 for bilstm).")
        Integer epochs;

        @Option(names = "--learning-rate", description = "Step size η (default: 0.05 for simple, 0.005 for bilstm).")
        Double learningRate;

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
                    seed, System.out);
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
}
