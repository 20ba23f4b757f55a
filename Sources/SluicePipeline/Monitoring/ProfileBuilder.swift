import SluiceKernels
import SluiceModel

/// Builds a ``ReferenceProfile`` from events: each is decoded by the same ``FeatureDecoder`` that
/// `sluice run` uses (an event it would dead-letter is counted in ``rejected`` and left out), the
/// rows are scored by the model in batches, and every feature and numeric output column is profiled.
/// For a model whose input feeds a tree ensemble directly, the rows are also counted through its
/// nodes (``ReferenceProfile/treeCovers``), for TreeSHAP explanations.
public struct ProfileBuilder {
    private let decoder: FeatureDecoder
    private let model: Model
    private let session: ModelSession
    private let batchSize: Int
    private var pending: [Float] = []
    private var pendingRows = 0
    private var row: [Float]
    private var featureValues: [[Float]]
    private var outputNames: [String]?
    private var outputValues: [[Float]] = []
    private let trees: TreeEnsembleDefinition<Float>?
    private var treeCovers: TreeCovers?
    /// Events that could not be decoded, with the first problem of each of the first few.
    public private(set) var rejected = 0
    public private(set) var firstRejections: [String] = []

    public init(decoder: FeatureDecoder, model: Model, batchSize: Int = 256) {
        precondition(batchSize > 0)
        self.decoder = decoder
        self.model = model
        session = model.makeSession()
        self.batchSize = batchSize
        row = [Float](repeating: 0, count: decoder.width)
        featureValues = [[Float]](repeating: [], count: decoder.width)
        if case .trees(let definition, _)? = try? model.explainableStage() {
            trees = definition
            treeCovers = TreeCovers(for: definition)
        } else {
            trees = nil
        }
    }

    /// The names of the row's columns: a feature's path, with `[i]` per element of an array feature.
    public static func featureNames(_ spec: FeatureSpec) -> [String] {
        spec.features.flatMap { feature in
            feature.length.map { length in (0 ..< length).map { "\(feature.path)[\($0)]" } } ?? [feature.path]
        }
    }

    /// Decodes one event's payload into the next row; scores the rows once a batch is full.
    public mutating func add(event payload: UnsafeRawBufferPointer) throws {
        do {
            try row.withUnsafeMutableBufferPointer { try decoder.decode(payload, into: $0) }
        } catch {
            rejected += 1
            if firstRejections.count < 5 { firstRejections.append("\(error)") }
            return
        }
        pending.append(contentsOf: row)
        pendingRows += 1
        if pendingRows == batchSize { try scorePending() }
    }

    /// Scores what is pending and returns the profile of every event added.
    public mutating func finish() throws -> ReferenceProfile {
        try scorePending()
        let names = Self.featureNames(decoder.spec)
        let identity = model.identity
        return ReferenceProfile(
            model: .init(name: identity.name, version: identity.version, sha256: identity.sha256),
            rows: featureValues.first?.count ?? outputValues.first?.count ?? 0,
            features: zip(names, featureValues).map { ColumnProfile(name: $0, values: $1) },
            outputs: zip(outputNames ?? [], outputValues).map { ColumnProfile(name: $0, values: $1) },
            treeCovers: treeCovers
        )
    }

    private mutating func scorePending() throws {
        guard pendingRows > 0 else { return }
        let outputs = try session.predict(features: pending, rows: pendingRows)
        let width = decoder.width
        for index in 0 ..< pendingRows * width { featureValues[index % width].append(pending[index]) }
        if let trees { treeCovers?.count(pending, rowCount: pendingRows, featureCount: width, through: trees) }
        if outputNames == nil {
            outputNames = OutputColumns.names(of: outputs, named: model.outputs.map(\.name), rows: pendingRows)
            outputValues = [[Float]](repeating: [], count: outputNames!.count)
        }
        OutputColumns.forEachValue(of: outputs, rows: pendingRows) { column, _, value in outputValues[column].append(Float(value)) }
        pending.removeAll(keepingCapacity: true)
        pendingRows = 0
    }
}
