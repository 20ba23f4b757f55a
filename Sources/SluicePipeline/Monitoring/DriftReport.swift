/// The drift statistics of one window, as a ``DriftMonitor`` reports them and the `drift` topic
/// carries them (`Topics/schemas/drift.schema.json`).
public struct DriftReport: Codable, Sendable, Hashable {
    /// One feature or output column.
    public struct Column: Codable, Sendable, Hashable {
        public var name: String
        /// The population stability index of the window against the reference.
        public var stabilityIndex: Double
        /// The Kolmogorov–Smirnov statistic of the window against the reference, and the value above
        /// which it is significant for the window's size.
        public var kolmogorovSmirnov: Double
        public var kolmogorovSmirnovCritical: Double
        /// The fraction of the window's events whose value was missing, and the reference's.
        public var missingRate: Double
        public var referenceMissingRate: Double
        /// Values of the window outside the reference's range.
        public var outOfRange: Int
        /// Missing and out-of-range values since the processor started: exact counts.
        public var missingTotal: Int
        public var outOfRangeTotal: Int
        /// Bins holding at least one value of the window, and of the reference: a model that
        /// outputs one class only fills one bin of its label column.
        public var occupiedBins: Int
        public var referenceOccupiedBins: Int
        /// Whether the column drifted: the window is full and either statistic is above its threshold.
        public var drifted: Bool

        public init(
            name: String, stabilityIndex: Double, kolmogorovSmirnov: Double, kolmogorovSmirnovCritical: Double, missingRate: Double,
            referenceMissingRate: Double, outOfRange: Int, missingTotal: Int, outOfRangeTotal: Int, occupiedBins: Int,
            referenceOccupiedBins: Int, drifted: Bool
        ) {
            self.name = name
            self.stabilityIndex = stabilityIndex
            self.kolmogorovSmirnov = kolmogorovSmirnov
            self.kolmogorovSmirnovCritical = kolmogorovSmirnovCritical
            self.missingRate = missingRate
            self.referenceMissingRate = referenceMissingRate
            self.outOfRange = outOfRange
            self.missingTotal = missingTotal
            self.outOfRangeTotal = outOfRangeTotal
            self.occupiedBins = occupiedBins
            self.referenceOccupiedBins = referenceOccupiedBins
            self.drifted = drifted
        }

        enum CodingKeys: String, CodingKey {
            case name, drifted
            case stabilityIndex = "psi"
            case kolmogorovSmirnov = "ks"
            case kolmogorovSmirnovCritical = "ks_critical"
            case missingRate = "missing_rate"
            case referenceMissingRate = "reference_missing_rate"
            case outOfRange = "out_of_range"
            case missingTotal = "missing_total"
            case outOfRangeTotal = "out_of_range_total"
            case occupiedBins = "occupied_bins"
            case referenceOccupiedBins = "reference_occupied_bins"
        }
    }

    /// The model the reference profile was made with.
    public var model: ReferenceProfile.ModelReference
    /// Events observed since the processor started.
    public var events: Int
    /// Events in the window the statistics describe.
    public var window: Int
    public var features: [Column]
    public var outputs: [Column]

    public init(model: ReferenceProfile.ModelReference, events: Int, window: Int, features: [Column], outputs: [Column]) {
        self.model = model
        self.events = events
        self.window = window
        self.features = features
        self.outputs = outputs
    }

    /// The names of the columns that drifted, features first.
    public var drifted: [String] { (features + outputs).filter(\.drifted).map(\.name) }
}
