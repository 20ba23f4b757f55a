/// The drift monitoring series (`monitoring:`), one per feature (label `feature`) or model output
/// column (label `output`), updated after every window of events.
public enum DriftMetricName {
    /// Population stability index of the window against the reference profile.
    public static let featureStability = "sluice_feature_drift_psi"
    public static let predictionStability = "sluice_prediction_drift_psi"
    /// Kolmogorov–Smirnov statistic of the window against the reference, and its critical value.
    public static let featureKolmogorovSmirnov = "sluice_feature_drift_ks"
    public static let predictionKolmogorovSmirnov = "sluice_prediction_drift_ks"
    public static let kolmogorovSmirnovCritical = "sluice_drift_ks_critical"
    /// 1 while the column counts as drifted, 0 otherwise.
    public static let featureDrifted = "sluice_feature_drifted"
    public static let predictionDrifted = "sluice_prediction_drifted"
    /// Missing rate of the window, and of the reference.
    public static let featureMissingRate = "sluice_feature_missing_rate"
    public static let featureReferenceMissingRate = "sluice_feature_reference_missing_rate"
    /// Values missing, and outside the reference's range, since the start.
    public static let featureMissing = "sluice_feature_missing_values_total"
    public static let featureOutOfRange = "sluice_feature_out_of_range_values_total"
    public static let predictionOutOfRange = "sluice_prediction_out_of_range_values_total"
    /// Bins the window's values fill, and the reference's: 1 for a label column means one class only.
    public static let predictionOccupiedBins = "sluice_prediction_occupied_bins"
    public static let predictionReferenceOccupiedBins = "sluice_prediction_reference_occupied_bins"
    /// Windows reported.
    public static let reports = "sluice_drift_reports_total"
}
