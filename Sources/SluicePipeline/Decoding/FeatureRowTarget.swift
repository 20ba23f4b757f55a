/// Where a schema-driven decoder (Avro, Protobuf) puts what it reads: today's float row, one
/// column per scalar feature and `length` columns per array feature, addressed by field name
/// along each feature's dotted path. The one place those decoders learn the row's layout, so that
/// a different target (typed, named model inputs) replaces this type and nothing else.
final class FeatureRowTarget: Sendable {
    /// Where the field of a given name goes, in one record of the event.
    enum Destination: Sendable {
        case scalar(column: Int)
        case array(firstColumn: Int, length: Int, feature: Int)
        /// A nested record holding features: its fields' destinations.
        case record(Fields)
    }

    /// The destinations of one record's fields, by field name.
    final class Fields: Sendable {
        let byName: [String: Destination]

        init(_ byName: [String: Destination]) {
            self.byName = byName
        }
    }

    let spec: FeatureSpec
    /// The top-level record's fields.
    let root: Fields
    let width: Int
    /// Per column: the feature that fills it and, for an array feature, the element.
    private let owners: [(feature: Int, element: Int?)]

    /// The targets of `spec`, which ``FeatureDecoder/init(spec:)`` has accepted (no clashing paths).
    init(spec: FeatureSpec) {
        self.spec = spec
        var owners: [(feature: Int, element: Int?)] = []
        var tree = PathTree()
        for (index, feature) in spec.features.enumerated() {
            let destination: Destination =
                feature.length.map { .array(firstColumn: owners.count, length: $0, feature: index) } ?? .scalar(column: owners.count)
            tree.insert(feature.keys.map(String.init)[...], destination)
            owners += (0..<feature.width).map { (index, feature.length == nil ? nil : $0) }
        }
        self.owners = owners
        width = owners.count
        root = tree.fields()
    }

    /// Replaces each column no value filled (still NaN) with its feature's default, or fails with
    /// `missing_feature` for the first without one; `offset` is where the event ended.
    func fillMissing(_ row: UnsafeMutablePointer<Float>, offset: Int) throws(FeatureDecodingError) {
        for column in 0..<width where row[column].isNaN {
            let owner = owners[column]
            guard let value = spec.features[owner.feature].defaultValue else {
                throw FeatureDecodingError(.missingFeature, path: path(column: column), offset: offset, detail: "absent or null, and no default")
            }
            row[column] = value
        }
    }

    /// The path of the feature, or array element, that fills `column`.
    func path(column: Int) -> String {
        let owner = owners[column]
        let path = spec.features[owner.feature].path
        return owner.element.map { "\(path)[\($0)]" } ?? path
    }

    /// The path of feature `feature`.
    func path(feature: Int) -> String { spec.features[feature].path }

    /// The features' paths as nested dictionaries, built before they are frozen into ``Fields``.
    private struct PathTree {
        var leaves: [String: Destination] = [:]
        var children: [String: PathTree] = [:]

        mutating func insert(_ keys: ArraySlice<String>, _ destination: Destination) {
            guard let key = keys.first else { return }
            if keys.count == 1 {
                leaves[key] = destination
            } else {
                children[key, default: PathTree()].insert(keys.dropFirst(), destination)
            }
        }

        func fields() -> Fields {
            var byName = leaves
            for (key, child) in children { byName[key] = .record(child.fields()) }
            return Fields(byName)
        }
    }
}
