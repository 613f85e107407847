package dev.unfold.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Text for a character-level language model, shipped inside the samples so that training needs no
 * download. The bundled text is sonnets 1 to 80 of Shakespeare (public domain; see
 * {@code corpus/README.md} beside it), about 50 KB of plain ASCII over fewer than 70 characters.
 */
public final class Corpus {
    /** The classpath resource holding the bundled text. */
    static final String BUNDLED = "corpus/sonnets.txt";

    private Corpus() {}

    /** The bundled text, with {@code \n} line breaks whatever a checkout did to them. */
    public static String bundled() {
        return resource(BUNDLED);
    }

    /** A text resource read as UTF-8, Windows line breaks turned into {@code \n}. */
    static String resource(String name) {
        try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the corpus " + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the corpus " + name, e);
        }
    }
}
