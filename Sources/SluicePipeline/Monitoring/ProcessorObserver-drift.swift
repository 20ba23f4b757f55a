extension ProcessorObserver {
    /// Observers that keep no drift metrics ignore drift reports.
    public func processorReportedDrift(_ report: DriftReport, previous: DriftReport?) {}
}
