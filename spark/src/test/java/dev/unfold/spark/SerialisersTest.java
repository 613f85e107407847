package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * What travels between the driver and the executors, or to an executor's disk, survives both of
 * Spark's serialisers ({@code spark.serializer}: Java's, the default, or Kryo): the weights and
 * gradients (a float32 network's in half the bytes, every value with the bits it had), a partition's
 * summary, a cached partition.
 */
class SerialisersTest {
    private static final int SIZE = 10_000;

    @Test
    void floatValuesTravelAsFloatsAndOthersAsDoublesBitForBit() throws Exception {
        Random random = new Random(1);
        double[] floats = new double[SIZE];
        double[] doubles = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            floats[i] = (float) random.nextGaussian();
            doubles[i] = random.nextGaussian();
        }
        floats[3] = Double.NaN;
        floats[4] = -0.0;
        floats[5] = Double.NEGATIVE_INFINITY;
        doubles[3] = Double.NaN;
        assertTrue(PackedVector.of(floats).isPacked());
        assertFalse(PackedVector.of(doubles).isPacked());
        double[] almost = floats.clone();
        almost[SIZE - 1] = Math.nextUp(almost[SIZE - 1]);   // one value a float cannot hold
        assertFalse(PackedVector.of(almost).isPacked());

        byte[] packed = java(PackedVector.of(floats));
        byte[] unpacked = java(PackedVector.ofDoubles(floats));
        assertTrue(packed.length < unpacked.length * 0.55, packed.length + " bytes against " + unpacked.length);
        for (double[] vector : new double[][] {floats, doubles, almost}) {
            assertBits(vector, fromJava(java(PackedVector.of(vector))).values());
            assertBits(vector, kryo(PackedVector.of(vector)).values());
        }
    }

    @Test
    void aTreeSumOfPackedLeavesTravelsWholeThroughKryoToo() {
        double[] a = {1.5f, -2.25f};
        double[] b = {0.1, 0.2};
        TreeSum sum = TreeSum.leaf(3, 0, a.clone());
        TreeSum other = TreeSum.leaf(3, 2, b.clone());
        TreeSum middle = kryo(TreeSum.leaf(3, 1, null));
        sum.merge(kryo(other)).merge(middle);
        assertBits(new double[] {a[0] + b[0], a[1] + b[1]}, sum.total());
    }

    @Test
    void aPartitionsSummaryTravelsThroughKryo() {
        ExampleBlock.Summary summary = kryo(new ExampleBlock.Summary(7, 2, "int[] tokens with int[] labels", null,
                new int[] {3, 1}));
        assertEquals(7, summary.start());
        assertEquals("int[] tokens with int[] labels", summary.kind());
        assertArrayEquals(new int[] {3, 1}, summary.outputRows());
    }

    @Test
    void aCachedPartitionSpillsToDiskThroughKryo() {
        Example first = Example.of(new int[] {1, 2}, new int[] {0});
        Example second = Example.of(new int[] {3}, new int[] {1});
        ExampleBlock block = ExampleBlock.of(java.util.List.of(new scala.Tuple2<>(first, 4L),
                new scala.Tuple2<>(second, 5L)).iterator()).next();
        ExampleBlock back = kryo(block);
        assertEquals(4, back.start);
        assertEquals(2, back.size());
        assertArrayEquals(new int[] {3}, (int[]) back.inputs[1]);
        assertArrayEquals(new int[] {1}, (int[]) back.targets[1]);
    }

    private static void assertBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), "value " + i);
        }
    }

    private static byte[] java(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static PackedVector fromJava(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (PackedVector) in.readObject();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T kryo(T value) {
        SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
        scala.reflect.ClassTag<T> tag = (scala.reflect.ClassTag<T>) ClassTag$.MODULE$.apply(value.getClass());
        return kryo.deserialize(kryo.serialize(value, tag), tag);
    }
}
