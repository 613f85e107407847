package dev.unfold.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One {@code local[2]} Spark context for every test class of the JVM: a context takes seconds to start,
 * and a JVM holds one at a time. Bound to loopback. Spark stops it when the JVM exits.
 */
public final class LocalSpark {
    private static JavaSparkContext context;

    private LocalSpark() {}

    public static synchronized JavaSparkContext context() {
        if (context == null) {
            SparkConf conf = new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("unfold-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1");
            context = new JavaSparkContext(conf);
        }
        return context;
    }
}
