import CoreMetrics
import Prometheus

extension NodeMetrics {
    /// Metrics for the only node of a process (`gossipgrid node`): one registry, also
    /// installed as the process's swift-metrics backend so that metrics of the libraries
    /// the node uses land in the same `GET /metrics`. Call at most once per process;
    /// embedded nodes use `NodeMetrics()` each instead.
    public static func bootstrapProcess() -> NodeMetrics {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return NodeMetrics(registry: registry)
    }
}
