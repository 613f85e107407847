package dev.unfold.spark.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.spark.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./unfold spark}'s program, smaller: both runs printed, and they agree to 1e-12. */
class ClassifyOnSparkTest {

    @Test
    void theClusterRunPrintsTheSingleMachinesNumbers() throws Exception {
        ClassifyOnSpark program = new ClassifyOnSpark();
        new CommandLine(program).parseArgs("--train", "120", "--test", "40", "--epochs", "2", "--batch", "16",
                "--partitions", "3");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = program.run(LocalSpark.context(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("The runs agree to 1e-12 (float64)."), printed);
        for (String where : new String[] {"one machine       ", "Spark local[2]    "}) {
            assertTrue(printed.contains(where + " epoch  2: training loss "), where + " in\n" + printed);
        }
    }
}
