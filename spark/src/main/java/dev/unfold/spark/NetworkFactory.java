package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import java.io.Serializable;

/**
 * How an executor builds its own copy of the network: the generated class's constructor,
 * {@code UnfoldedTagger::new}, which Java serialises as a method reference and every executor can run
 * once the user's jar is on its classpath. Each executor JVM builds a network per task running at once
 * (at most its cores) and keeps it for the whole run; the driver's weights replace the constructor's
 * before every step, so the seed it is called with does not matter.
 */
@FunctionalInterface
public interface NetworkFactory extends Serializable {

    /** A new network of the trained kind; its weights are overwritten before it computes anything. */
    SequenceModel create(long seed);
}
