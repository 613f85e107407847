package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * What {@link BarrierTraining} sends through Spark (the epoch's broadcast, each task's result)
 * survives both of Spark's serialisers, Java's and Kryo ({@code spark.serializer}), whole.
 */
class BarrierSerialisersTest {

    @Test
    void theBroadcastAndTheTaskResultsTravelThroughJavaAndKryo() throws Exception {
        BarrierTraining.Round round = new BarrierTraining.Round(new byte[] {1, 2, 3});
        BarrierTraining.Outcome first = new BarrierTraining.Outcome(0, 12, 0.25, 6, 2, new byte[] {9}, 1.5, 1.0, 0.25);
        BarrierTraining.Outcome other = new BarrierTraining.Outcome(1, 12, 0.25, 6, 2, null, 1.5, 0.9, 0.3);
        for (boolean useKryo : new boolean[] {false, true}) {
            BarrierTraining.Round back = useKryo ? kryo(round) : java(round);
            assertArrayEquals(round.checkpoint(), back.checkpoint());
            BarrierTraining.Outcome firstBack = useKryo ? kryo(first) : java(first);
            assertEquals(first.rank, firstBack.rank);
            assertEquals(first.steps, firstBack.steps);
            assertEquals(first.trainingLoss, firstBack.trainingLoss);
            assertEquals(first.updates, firstBack.updates);
            assertEquals(first.clippedUpdates, firstBack.clippedUpdates);
            assertArrayEquals(first.checkpoint, firstBack.checkpoint);
            assertEquals(first.communicationSeconds, firstBack.communicationSeconds);
            BarrierTraining.Outcome otherBack = useKryo ? kryo(other) : java(other);
            assertNull(otherBack.checkpoint);
            assertEquals(1, otherBack.rank);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T kryo(T value) {
        SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
        scala.reflect.ClassTag<T> tag = (scala.reflect.ClassTag<T>) ClassTag$.MODULE$.apply(value.getClass());
        return kryo.deserialize(kryo.serialize(value, tag), tag);
    }

    @SuppressWarnings("unchecked")
    private static <T> T java(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
