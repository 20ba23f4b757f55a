import Foundation

/// The reference a model's inputs and outputs are compared with at run time: a profile of every
/// feature column and every numeric output column over a data set the model was known to serve
/// well, written by `sluice profile` and read through `monitoring.profile`.
///
/// It names the model it was made with by its file's SHA-256, so a profile is never silently
/// applied to another model's outputs.
public struct ReferenceProfile: Codable, Sendable, Hashable {
    /// The model whose outputs were profiled.
    public struct ModelReference: Codable, Sendable, Hashable {
        public var name: String
        public var version: String?
        /// SHA-256 of the model file, lowercase hex.
        public var sha256: String

        public init(name: String, version: String?, sha256: String) {
            self.name = name
            self.version = version
            self.sha256 = sha256
        }
    }

    /// The format of the file; readers refuse versions they do not know.
    public var format: Int
    public var model: ModelReference
    /// Rows profiled: the events decoded and scored.
    public var rows: Int
    /// One per column of the model's input row, in order.
    public var features: [ColumnProfile]
    /// One per element of each numeric model output, in the outputs' order.
    public var outputs: [ColumnProfile]
    /// For a tree-ensemble model, the reference rows that reached each of its nodes: what exact
    /// TreeSHAP explanations (`audit.explain`) weigh the trees' paths by, as ONNX files carry no
    /// node sample counts. `nil` for other models.
    public var treeCovers: TreeCovers?

    /// The format this version of Sluice writes and reads.
    public static let currentFormat = 1

    public init(model: ModelReference, rows: Int, features: [ColumnProfile], outputs: [ColumnProfile], treeCovers: TreeCovers? = nil) {
        format = Self.currentFormat
        self.model = model
        self.rows = rows
        self.features = features
        self.outputs = outputs
        self.treeCovers = treeCovers
    }

    /// The profile as pretty-printed JSON with sorted keys, so that the same data gives the same file.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return try encoder.encode(self)
    }

    /// Reads a profile `jsonData()` wrote.
    public init(jsonData data: Data) throws(ProfileError) {
        do {
            self = try JSONDecoder().decode(ReferenceProfile.self, from: data)
        } catch {
            throw ProfileError("not a Sluice profile: \(error)")
        }
        guard format == Self.currentFormat else {
            throw ProfileError("profile format \(format) is not the one this Sluice reads (\(Self.currentFormat))")
        }
        for column in features + outputs where column.fractions.count != column.edges.count + 1 {
            throw ProfileError("column \(column.name): \(column.edges.count) edges need \(column.edges.count + 1) fractions")
        }
    }

    /// Reads the profile file at `path`.
    public init(contentsOf path: String) throws(ProfileError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ProfileError("cannot read profile '\(path)': \(error.localizedDescription)")
        }
        try self.init(jsonData: data)
    }
}

/// A profile that cannot be read, or does not fit the model or the features it is used with.
public struct ProfileError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
