package dev.unfold.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path directory;

    private static double[] falling(int n, double start) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = start * Math.pow(0.8, i);
        }
        return values;
    }

    @Test
    void writesAPngOfTheRequestedSize() throws IOException {
        Path file = directory.resolve("plots").resolve("loss.png");
        new LinePlot("Training", "epoch", "loss")
                .series("training", falling(30, 2.0))
                .series("validation", falling(30, 2.5))
                .writePng(file, 640, 400);

        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
        assertTrue(colours(image) > 3, "the image has lines and text on it, not one colour");
    }

    @Test
    void drawsOnALogarithmicAxisAndAtGivenX() throws IOException {
        Path file = directory.resolve("log.png");
        new LinePlot("Learning rate", "step", "η")
                .logarithmicY()
                .series("schedule", new double[] {0, 10, 20, 40}, new double[] {1e-1, 1e-2, 1e-3, 1e-4})
                .writePng(file, 300, 200);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(300, image.getWidth());
        assertEquals(200, image.getHeight());
    }

    @Test
    void drawsASeriesInTheColourGiven() throws IOException {
        Color colour = new Color(0x12, 0x9A, 0x34);
        Path file = directory.resolve("colour.png");
        new LinePlot("Coloured", "x", "y")
                .series("green", new double[] {1, 2, 3}, new double[] {1, 3, 2}, colour)
                .writePng(file, 300, 200);
        BufferedImage image = ImageIO.read(file.toFile());
        int pixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                pixels += image.getRGB(x, y) == colour.getRGB() ? 1 : 0;
            }
        }
        assertTrue(pixels > 50, "the line is drawn in the colour given: " + pixels + " pixels of it");
    }

    @Test
    void rendersWithoutADisplay() throws IOException {
        new LinePlot("t", "x", "y").series("s", new double[] {1, 2}).writePng(directory.resolve("h.png"), 50, 50);
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void anEmptySeriesIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").series("loss", new double[0]));
        assertEquals("series \"loss\" is empty: a line needs at least one point", e.getMessage());
    }

    @Test
    void aNonPositiveValueOnALogarithmicAxisIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").logarithmicY().series("loss", new double[] {1, 0.5, 0}));
        assertEquals("series \"loss\" has y[2] = 0.0: a logarithmic y axis can only show positive values",
                e.getMessage());
        // The same whichever comes first, the axis or the series.
        LinePlot plot = new LinePlot("t", "x", "y").series("loss", new double[] {1, -2});
        assertThrows(IllegalArgumentException.class, plot::logarithmicY);
    }

    @Test
    void aNonFiniteValueIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").series("loss", new double[] {1, Double.NaN}));
        assertEquals("series \"loss\" has y[1] = NaN: a chart can only show finite values", e.getMessage());
    }

    @Test
    void xAndYOfDifferentLengthsAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").series("loss", new double[] {1, 2, 3}, new double[] {1, 2}));
        assertEquals("series \"loss\" has 3 x values and 2 y values: every point needs both", e.getMessage());
    }

    @Test
    void twoSeriesOfOneNameAreAClearError() {
        LinePlot plot = new LinePlot("t", "x", "y").series("loss", new double[] {1});
        assertEquals("there is already a series named \"loss\"",
                assertThrows(IllegalArgumentException.class, () -> plot.series("loss", new double[] {2})).getMessage());
    }

    @Test
    void nothingToPlotOrNoPixelsAreClearErrors() {
        Path file = directory.resolve("empty.png");
        assertThrows(IllegalArgumentException.class, () -> new LinePlot("t", "x", "y").writePng(file, 100, 100));
        assertEquals("the image must be at least 1 × 1 pixels, got 0 × 100", assertThrows(IllegalArgumentException.class,
                () -> new LinePlot("t", "x", "y").series("s", new double[] {1}).writePng(file, 0, 100)).getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void valuesAreCopiedWhenASeriesIsAdded() throws IOException {
        double[] losses = {1, 2, 3};
        LinePlot plot = new LinePlot("t", "x", "y").logarithmicY().series("loss", losses);
        losses[0] = -1; // a buffer the training loop reuses; the plot keeps what it was given
        plot.writePng(directory.resolve("copy.png"), 100, 100);
    }

    private static int colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
