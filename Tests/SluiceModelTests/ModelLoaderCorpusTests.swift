import Foundation
import Testing
import SluiceModel

/// The `FuzzModelLoader` target's seed corpus (Fuzz/Corpus/ModelLoader), loaded as `make test`
/// builds the loader: every file returns a model or a ``ModelLoadError`` naming its problems (a
/// crash or hang fails the suite), and a model that loads scores a row of zeros or throws.
@Suite struct ModelLoaderCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/ModelLoader")

    static func cases() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
    }

    /// Models/'s examples must load and `broken-*` files must not; fixtures (`fixture-*`, valid
    /// and invalid) and mutated models may do either.
    static func mustLoad(_ name: String) -> Bool? {
        if name.hasPrefix("broken-") { return false }
        return name.hasPrefix("fixture-") || name.hasPrefix("mutated-") ? nil : true
    }

    @Test func theCorpusHoldsModelsOfEveryKind() throws {
        let names = try Self.cases()
        #expect(names.contains { Self.mustLoad($0) == true })
        #expect(names.contains { Self.mustLoad($0) == false })
        #expect(names.contains { Self.mustLoad($0) == nil })
    }

    @Test(.timeLimit(.minutes(1)), arguments: try cases())
    func everyFileLoadsOrFailsWithModelLoadError(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
        let model: Model
        do {
            model = try Model(bytes: bytes, source: name)
        } catch let error as ModelLoadError {
            #expect(!error.problems.isEmpty)
            #expect(Self.mustLoad(name) != true, "an example model failed: \(error)")
            return
        }
        #expect(Self.mustLoad(name) != false, "a broken file loaded")
        if let features = model.featureCount {
            _ = try? model.makeSession().predict(features: [Float](repeating: 0, count: features), rows: 1)
        }
    }
}
