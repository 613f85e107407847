package dev.unfold.samples;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Unfold's sample programs: the seeds' examples, trained and answered on the command line. */
@Command(name = "unfold",
        mixinStandardHelpOptions = true,
        version = "Unfold 0.1.0-SNAPSHOT",
        description = "Recurrent networks compiled to plain Java by an annotation processor: the seeds' examples.",
        subcommands = {Main.Forecast.class, Main.Classify.class, Main.EchoCommand.class, CommandLine.HelpCommand.class})
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
}
