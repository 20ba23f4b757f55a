import BenchSupport
import Foundation

/// The figures of `sluice-bench`'s comparison: medians over the repetitions, as text lines and as
/// the one JSON object that ends the output.
struct ComparisonReport {
    var events: Int
    var repetitions: Int
    var partitions: Int
    var cRates: [Double]
    /// Events per CPU-second of the whole process, per C run.
    var cCPURates: [Double]
    var sluiceRuns: [ProcessorBenchRun.Result]
    /// Sluice without metrics, with `--metrics-overhead`; empty otherwise.
    var unmeteredRuns: [ProcessorBenchRun.Result]
    /// Whether `sluiceRuns` recorded metrics.
    var isMetered: Bool
    /// The input rate of each Sluice run when it was paced; empty in throughput mode.
    var pacedRates: [Double]
    var loadAverage: String

    var cRate: Double { BenchFigures.median(cRates) }
    var sluiceRate: Double { BenchFigures.median(sluiceRuns.map(\.eventsPerSecond)) }
    var ratio: Double { sluiceRate / cRate }
    var cCPURate: Double { BenchFigures.median(cCPURates) }
    var sluiceCPURate: Double { BenchFigures.median(sluiceRuns.map { Double(events) / $0.cpuSeconds }) }

    /// The median over the runs of each run's end-to-end latency quantile `q`, in microseconds.
    func latency(_ q: Double) -> Double {
        BenchFigures.median(sluiceRuns.compactMap { $0.statistics.endToEndLatency.quantile(q).map(Double.init) })
    }

    /// The same for the part before Sluice had the event: input timestamp to consumed.
    func consumeLatency(_ q: Double) -> Double {
        BenchFigures.median(sluiceRuns.compactMap { $0.statistics.consumeLatency.quantile(q).map(Double.init) })
    }

    var unmeteredRate: Double { BenchFigures.median(unmeteredRuns.map(\.eventsPerSecond)) }
    var unmeteredCPURate: Double { BenchFigures.median(unmeteredRuns.map { Double(events) / $0.cpuSeconds }) }

    var lines: [String] {
        var lines = [
            "load average \(loadAverage)",
            String(format: "median C passthrough (2 outputs)  %9.0f events/s", cRate),
            String(format: "median Sluice                     %9.0f events/s", sluiceRate)
                + (pacedRates.isEmpty ? "" : String(format: " (input produced at %.0f events/s)", BenchFigures.median(pacedRates))),
            String(format: "ratio Sluice/C                    %9.3f", ratio),
            String(format: "events per CPU-second (whole process, all threads): C %.0f, Sluice %.0f, ratio %.3f", cCPURate, sluiceCPURate, sluiceCPURate / cCPURate)
                + (pacedRates.isEmpty ? "" : " (Sluice's includes the paced input producer)"),
            "median Sluice end-to-end latency  p50 \(BenchFigures.milliseconds(Int64(latency(0.5)))), p99 \(BenchFigures.milliseconds(Int64(latency(0.99)))), "
                + "p999 \(BenchFigures.milliseconds(Int64(latency(0.999))))"
                + (pacedRates.isEmpty ? " (input loaded up front: mostly time waiting in the topic)" : ""),
            "  of which input timestamp → consumed p50 \(BenchFigures.milliseconds(Int64(consumeLatency(0.5)))), p99 \(BenchFigures.milliseconds(Int64(consumeLatency(0.99))))",
        ]
        lines[2] += isMetered ? " (metrics on)" : " (metrics off)"
        if !unmeteredRuns.isEmpty {
            lines.append(String(format: "median Sluice, no metrics         %9.0f events/s", unmeteredRate))
            lines.append(String(
                format: "metrics on/off: events/s %.3f, events per CPU-second %.3f",
                sluiceRate / unmeteredRate, sluiceCPURate / unmeteredCPURate
            ))
        }
        return lines
    }

    var json: String {
        var object: [String: Any] = [
            "mode": pacedRates.isEmpty ? "throughput" : "paced",
            "events": events,
            "repetitions": repetitions,
            "input_partitions": partitions,
            "c_events_per_second": cRate.rounded(),
            "sluice_events_per_second": sluiceRate.rounded(),
            "ratio": (ratio * 1000).rounded() / 1000,
            "input_rate_events_per_second": pacedRates.isEmpty ? NSNull() : BenchFigures.median(pacedRates).rounded() as Any,
            "latency_us": ["p50": latency(0.5), "p99": latency(0.99), "p999": latency(0.999)],
            "consume_latency_us": ["p50": consumeLatency(0.5), "p99": consumeLatency(0.99)],
            "c_runs_events_per_second": cRates.map { $0.rounded() },
            "sluice_runs_events_per_second": sluiceRuns.map { $0.eventsPerSecond.rounded() },
            "sluice_runs_p99_us": sluiceRuns.map { $0.statistics.endToEndLatency.quantile(0.99) ?? -1 },
            "c_events_per_cpu_second": cCPURate.rounded(),
            "sluice_events_per_cpu_second": sluiceCPURate.rounded(),
            "load_average": loadAverage,
            "metrics": isMetered,
        ]
        if !unmeteredRuns.isEmpty {
            object["unmetered_events_per_second"] = unmeteredRate.rounded()
            object["unmetered_runs_events_per_second"] = unmeteredRuns.map { $0.eventsPerSecond.rounded() }
            object["metrics_on_off_ratio"] = (sluiceRate / unmeteredRate * 1000).rounded() / 1000
        }
        return BenchFigures.jsonLine(object)
    }
}
