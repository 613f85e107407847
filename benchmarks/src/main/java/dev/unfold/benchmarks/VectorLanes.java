package dev.unfold.benchmarks;

/**
 * Prints the lanes of this machine's preferred Vector API vectors, {@code {"doubleLanes": 8,
 * "floatLanes": 16}} on AVX-512, for the report to turn {@code Peak}'s time into GFLOP/s (its
 * flops per call are a count per lane). Needs {@code --add-modules jdk.incubator.vector}; reads the
 * species by reflection so that this class compiles and loads without the module, and prints
 * zeros when it is absent.
 */
public final class VectorLanes {
    private VectorLanes() {}

    public static void main(String[] args) {
        System.out.printf("{\"doubleLanes\": %d, \"floatLanes\": %d}%n",
                lanes("jdk.incubator.vector.DoubleVector"), lanes("jdk.incubator.vector.FloatVector"));
    }

    private static int lanes(String vectorClass) {
        try {
            Object species = Class.forName(vectorClass).getField("SPECIES_PREFERRED").get(null);
            return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("length").invoke(species);
        } catch (ReflectiveOperationException | LinkageError absent) {
            return 0;
        }
    }
}
