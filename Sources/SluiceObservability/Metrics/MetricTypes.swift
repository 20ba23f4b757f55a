import CoreMetrics

// Sluice records through swift-metrics' API; Prometheus' module has types of the same names,
// which these aliases keep out of the way.
typealias Counter = CoreMetrics.Counter
typealias Gauge = CoreMetrics.Gauge
typealias Recorder = CoreMetrics.Recorder
