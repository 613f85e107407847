package dev.unfold.spark.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Starts a {@link StandaloneCluster} of two workers before a test class's tests and stops it after
 * them, whatever they did; a test method takes it as a parameter. A failing test's exception
 * carries, as a suppressed exception, where the cluster's logs are.
 *
 * <pre>{@code @ExtendWith(StandaloneClusterExtension.class)
 * class SomethingIT {
 *     @Test void trains(StandaloneCluster cluster) { ... cluster.sparkConf("name") ... }
 * }}</pre>
 */
public final class StandaloneClusterExtension
        implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StandaloneClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Path directory = Path.of("target", "spark-cluster", context.getRequiredTestClass().getSimpleName());
        context.getStore(NAMESPACE).put(StandaloneCluster.class, StandaloneCluster.start(directory, 2, "1g"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        StandaloneCluster cluster = context.getStore(NAMESPACE).remove(StandaloneCluster.class, StandaloneCluster.class);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StandaloneCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(StandaloneCluster.class, StandaloneCluster.class);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        StandaloneCluster cluster = context.getStore(NAMESPACE).get(StandaloneCluster.class, StandaloneCluster.class);
        if (cluster != null) {
            failure.addSuppressed(new ClusterLogs(cluster.logDirectory()));
        }
        throw failure;
    }

    /** Names where to look: the master's and workers' logs, and each executor's under its worker. */
    private static final class ClusterLogs extends Exception {
        private static final long serialVersionUID = 1L;

        ClusterLogs(Path directory) {
            super("The Spark cluster's logs: " + directory.toAbsolutePath() + " (master.log, worker-N.log, "
                    + "and each executor's stdout and stderr in worker-N/app-*/N/)", null, false, false);
        }
    }
}
