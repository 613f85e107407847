package dev.unfold.samples;

import dev.unfold.runtime.Traceable;
import dev.unfold.runtime.diagnostics.GradientMonitor;
import dev.unfold.runtime.diagnostics.GradientReport;
import dev.unfold.runtime.optim.Sgd;
import dev.unfold.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Vanishing gradients (equations.md (11.2)) on screen: a tanh RNN and an LSTM of about as many parameters on the adding problem,
 * each looked at before and after training. For one sequence, the norm ‖∂L/∂h_k‖ against the
 * distance T − k from the loss, which the RNN's W_hh (λ1 against 1/γ) makes fall geometrically
 * and the LSTM's forget gates hold up; during training, each parameter's gradient norm and how
 * often clipping acted. Writes two PNGs: the norms by distance, and the norms over training.
 */
final class GradientsSample {
    /** What to run: the sequence length, the updates and their grouping, SGD and clipping, the seed. */
    record Settings(int length, int updates, int updatesPerEpoch, int batch, double learningRate, double momentum,
                    double clip, int test, long seed, Path plot) {
        Settings {
            if (length < 2 || updates < 1 || updatesPerEpoch < 1 || batch < 1 || test < 1) {
                throw new IllegalArgumentException("expected a length of at least 2 and at least 1 update, update per"
                        + " epoch, sequence per batch and test sequence, got " + length + ", " + updates + ", "
                        + updatesPerEpoch + ", " + batch + " and " + test);
            }
            if (updates % updatesPerEpoch != 0) {
                throw new IllegalArgumentException(updates + " updates are not whole epochs of " + updatesPerEpoch
                        + " updates");
            }
        }

        /** {@code gradients.png} → {@code gradients-<suffix>.png}. */
        Path plot(String suffix) {
            String name = plot.getFileName().toString().replaceFirst("\\.png$", "");
            return plot.resolveSibling(name + "-" + suffix + ".png");
        }
    }

    /** One network's story: its reports before and after, its monitor, its test MSE. */
    private record Outcome(String name, GradientReport before, GradientReport after, GradientMonitor monitor,
                           double testMse, double seconds) {}

    private GradientsSample() {}

    static void run(Settings settings, PrintStream out) throws IOException {
        AddingProblem task = new AddingProblem();
        Examples probe = task.allocate(1, settings.length());
        task.draw(probe, new Random(Seeds.mix(settings.seed(), 1)));
        Examples test = task.allocate(settings.test(), settings.length());
        task.draw(test, new Random(Seeds.mix(settings.seed(), 2)));
        out.printf(Locale.ROOT, "Gradients on the adding problem, T = %d: SGD (η = %s, momentum %s), clipped at norm %s,"
                        + " %d updates of %d sequences.%n", settings.length(), settings.learningRate(),
                settings.momentum(), settings.clip(), settings.updates(), settings.batch());
        out.println("One sequence's ‖∂L/∂h_k‖ by distance T − k from the loss, which reads h_T (equations.md (11.2)).");
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(train("RNN", task.simpleRnn(settings.seed()), task, probe, test, settings, out));
        outcomes.add(train("LSTM", task.lstm(settings.seed()), task, probe, test, settings, out));

        out.println();
        for (Outcome outcome : outcomes) {
            double[] norms = outcome.after().directions().get(0).norms();
            out.printf(Locale.ROOT, "%-4s after training: test MSE %.4f (%s); at distance %d its gradient is %.1e of"
                            + " the last step's, %.3f a step; %.1f s%n", outcome.name(), outcome.testMse(),
                    task.succeeded(outcome.testMse()) ? "solved" : "not solved: always answering 1 scores 0.167",
                    norms.length - 1, norms[norms.length - 1] / norms[0],
                    outcome.after().directions().get(0).factorPerStep(), outcome.seconds());
        }
        plotByDistance(outcomes, settings.plot("distance"));
        plotOverTraining(outcomes, settings.plot("training"));
        out.println("Wrote " + settings.plot("distance") + " and " + settings.plot("training") + ".");
    }

    private static Outcome train(String name, Traceable net, AddingProblem task, Examples probe, Examples test,
                                 Settings settings, PrintStream out) throws IOException {
        long started = System.nanoTime();
        out.println();
        GradientReport before = GradientReport.of(net, probe.xs[0], probe.targets[0]);
        out.println(name + " before training: " + indent(before.text()));
        GradientMonitor monitor = new GradientMonitor(net.parameters());
        new Trainer(net, new Sgd(net.parameters(), settings.learningRate(),
                Sgd.Options.PLAIN.withMomentum(settings.momentum())))
                .epochs(settings.updates() / settings.updatesPerEpoch())
                .seed(settings.seed())
                .clipNorm(settings.clip())
                .listener(monitor)
                .fit(new FreshBatches(net, task, settings.length(), settings.batch(), settings.updatesPerEpoch()));
        GradientReport after = GradientReport.of(net, probe.xs[0], probe.targets[0]);
        out.println(name + " after training: " + indent(after.text()));
        out.println("Mean gradient norm per parameter in each epoch of " + settings.updatesPerEpoch()
                + " updates, before clipping, and the share of updates clipped:");
        out.print(indent("  " + monitor.text()));
        return new Outcome(name, before, after, monitor, task.metric(net, test), (System.nanoTime() - started) / 1e9);
    }

    private static String indent(String text) {
        return text.replace("\n", "\n  ").stripTrailing();
    }

    /**
     * ‖∂L/∂h‖ against T − k on a log scale: a straight falling line is geometric decay. For the
     * trained LSTM also ‖∂L/∂c‖ along its cell state.
     */
    private static void plotByDistance(List<Outcome> outcomes, Path file) throws IOException {
        LinePlot plot = new LinePlot("‖∂L/∂h_k‖ against the distance T − k from the loss", "T − k", "‖∂L/∂h_k‖");
        // light before training, dark after; red for the RNN, blue for the LSTM
        java.awt.Color[][] colours = {{new java.awt.Color(240, 150, 150), new java.awt.Color(190, 20, 20)},
                {new java.awt.Color(140, 170, 240), new java.awt.Color(20, 40, 170)}};
        for (int o = 0; o < outcomes.size(); o++) {
            Outcome outcome = outcomes.get(o);
            addPositive(plot, outcome.name() + " before training", outcome.before().directions().get(0).norms(),
                    colours[o % 2][0]);
            addPositive(plot, outcome.name() + " after training", outcome.after().directions().get(0).norms(),
                    colours[o % 2][1]);
            double[] cells = outcome.after().directions().get(0).cellNorms();
            if (cells != null) {
                // the gradient along the cell state, which the forget gates carry (h_k held fixed)
                addPositive(plot, outcome.name() + " after training, ‖∂L/∂c_k‖ along the cell", cells,
                        new java.awt.Color(30, 140, 60));
            }
        }
        plot.logarithmicY().writePng(file, 900, 550);
    }

    /** Each parameter's mean gradient norm per epoch, on a log scale. */
    private static void plotOverTraining(List<Outcome> outcomes, Path file) throws IOException {
        LinePlot plot = new LinePlot("Gradient norm per parameter during training (before clipping)", "epoch",
                "mean ‖∂L/∂θ‖");
        for (Outcome outcome : outcomes) {
            GradientMonitor monitor = outcome.monitor();
            double[] epochs = java.util.Arrays.stream(monitor.epochs()).asDoubleStream().toArray();
            for (int p = 0; p < monitor.names().size(); p++) {
                double[] norms = monitor.meanNorms(p);
                if (java.util.Arrays.stream(norms).allMatch(value -> value > 0)) {
                    plot.series(outcome.name() + " " + monitor.names().get(p), epochs, norms);
                }
            }
        }
        plot.logarithmicY().writePng(file, 900, 550);
    }

    /** The points with a norm above zero, which a logarithmic axis can show (one that underflowed cannot). */
    private static void addPositive(LinePlot plot, String name, double[] norms, java.awt.Color colour) {
        int count = (int) java.util.Arrays.stream(norms).filter(value -> value > 0).count();
        double[] x = new double[count];
        double[] y = new double[count];
        for (int d = 0, i = 0; d < norms.length; d++) {
            if (norms[d] > 0) {
                x[i] = d;
                y[i++] = norms[d];
            }
        }
        plot.series(name, x, y, colour);
    }
}
