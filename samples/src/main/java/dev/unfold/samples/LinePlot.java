package dev.unfold.samples;

import dev.unfold.runtime.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG line chart of named series, such as the training and validation loss of each epoch:
 *
 * <pre>
 * new LinePlot("Character model", "epoch", "loss")
 *         .logarithmicY()
 *         .series("training", trainingLosses)      // x = 1, 2, ..., n
 *         .series("validation", validationLosses)
 *         .writePng(Path.of("loss.png"), 800, 500);
 * </pre>
 *
 * Drawn by JFreeChart into an image in memory, never on a screen, so it works on a machine with no
 * display: the JVM is put in headless mode before any AWT class is touched, unless the program
 * chose a mode itself. Values are copied when a series is added; anything a chart cannot show (an
 * empty series, a NaN, a value ≤ 0 on a logarithmic axis) is an {@link IllegalArgumentException}
 * naming the series and the value.
 */
public final class LinePlot {
    static {
        // Must run before the first AWT class initialises: afterwards the JVM has chosen its mode.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** One line: its name in the legend, its points, and its colour (null: the chart's next one). */
    private record Series(String name, double[] x, double[] y, boolean xIsIndex, Color colour) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logarithmicY;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = Objects.requireNonNull(title, "title");
        this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
        this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
    }

    /** Draws the y axis on a logarithmic scale, as a loss falling over orders of magnitude is best seen. */
    public LinePlot logarithmicY() {
        for (Series line : series) {
            requirePositive(line);
        }
        logarithmicY = true;
        return this;
    }

    /** Adds a line through (1, y[0]), (2, y[1]), ..., (n, y[n − 1]): one point per epoch or step. */
    public LinePlot series(String name, double[] y) {
        Objects.requireNonNull(y, "y");
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return add(new Series(name, x, y.clone(), true, null));
    }

    /** Adds a line through (x[i], y[i]), in the order given. */
    public LinePlot series(String name, double[] x, double[] y) {
        return points(name, x, y, null);
    }

    /**
     * Adds a line through (x[i], y[i]) in {@code colour}: for families of lines, such as one
     * network's runs at several lengths in shades of one hue, that the default colours would scatter.
     */
    public LinePlot series(String name, double[] x, double[] y, Color colour) {
        return points(name, x, y, Objects.requireNonNull(colour, "colour"));
    }

    /** Draws the chart and writes it to {@code file} as a PNG of {@code width} × {@code height} pixels. */
    public void writePng(Path file, int width, int height) throws IOException {
        Objects.requireNonNull(file, "file");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("the image must be at least 1 × 1 pixels, got " + width + " × " + height);
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: add a series before writing " + file);
        }
        JFreeChart chart = chart();
        AtomicFile.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    private LinePlot points(String name, double[] x, double[] y, Color colour) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series \"" + name + "\" has " + x.length + " x values and " + y.length
                    + " y values: every point needs both");
        }
        return add(new Series(name, x.clone(), y.clone(), false, colour));
    }

    private LinePlot add(Series line) {
        Objects.requireNonNull(line.name(), "name");
        if (line.name().isBlank()) {
            throw new IllegalArgumentException("a series needs a name for the legend, got \"" + line.name() + "\"");
        }
        for (Series other : series) {
            if (other.name().equals(line.name())) {
                throw new IllegalArgumentException("there is already a series named \"" + line.name() + "\"");
            }
        }
        if (line.y().length == 0) {
            throw new IllegalArgumentException("series \"" + line.name() + "\" is empty: a line needs at least one point");
        }
        requireFinite(line, line.x(), "x");
        requireFinite(line, line.y(), "y");
        if (logarithmicY) {
            requirePositive(line);
        }
        series.add(line);
        return this;
    }

    private JFreeChart chart() {
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (Series line : series) {
            XYSeries points = new XYSeries(line.name(), false, true); // keep the given order and repeated x
            for (int i = 0; i < line.y().length; i++) {
                points.add(line.x()[i], line.y()[i]);
            }
            dataset.addSeries(points);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (series.stream().allMatch(Series::xIsIndex)) {
            // Epochs and steps are whole numbers; ticks at 2.5 would suggest otherwise.
            ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        if (logarithmicY) {
            LogAxis axis = new LogAxis(yLabel);
            axis.setNumberFormatOverride(new TickFormat());
            plot.setRangeAxis(axis);
        }
        XYItemRenderer renderer = plot.getRenderer();
        for (int s = 0; s < series.size(); s++) {
            renderer.setSeriesStroke(s, new BasicStroke(2f));
            if (series.get(s).colour() != null) {
                renderer.setSeriesPaint(s, series.get(s).colour());
            }
        }
        return chart;
    }

    /**
     * Labels for the logarithmic axis: the values themselves to three significant digits (0.01, 1.58,
     * 2.51) instead of LogAxis's own 10^0.2, because a loss falling from 4.2 to 1.3 spans less than a
     * decade and its ticks fall between powers of ten. Plain notation from 0.001 to 100 000.
     */
    private static final class TickFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition position) {
            BigDecimal rounded = new BigDecimal(number).round(new MathContext(3)).stripTrailingZeros();
            double magnitude = Math.abs(number);
            return to.append(magnitude >= 1e-3 && magnitude < 1e5 ? rounded.toPlainString() : rounded.toString());
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition position) {
            return format((double) number, to, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("tick labels are only written, never read");
        }
    }

    private static void requireFinite(Series line, double[] values, String axis) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("series \"" + line.name() + "\" has " + axis + "[" + i + "] = "
                        + values[i] + ": a chart can only show finite values");
            }
        }
    }

    private static void requirePositive(Series line) {
        double[] y = line.y();
        for (int i = 0; i < y.length; i++) {
            if (y[i] <= 0) {
                throw new IllegalArgumentException("series \"" + line.name() + "\" has y[" + i + "] = " + y[i]
                        + ": a logarithmic y axis can only show positive values");
            }
        }
    }
}
