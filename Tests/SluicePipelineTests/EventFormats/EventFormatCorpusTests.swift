import Foundation
import Testing
@testable import SluicePipeline

/// The `FuzzAvroDecoder` and `FuzzProtobufDecoder` targets' seed corpora (Fuzz/Corpus/) through
/// the plans those targets fuzz: the valid events decode, the malformed ones fail with the class
/// their name starts with.
@Suite struct EventFormatCorpusTests {
    static let fuzz = EventFormatFixtures.directory.appendingPathComponent("../../../Fuzz/Corpus").standardizedFileURL
    /// The fuzz targets' features: the demo's and a nested field.
    static let spec = FeatureSpec(EventFormatFixtures.demoSpec.features + [.init(path: "device.trusted", defaultValue: -1)])

    static func cases(_ corpus: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fuzz.appendingPathComponent(corpus).path).sorted().map { "\(corpus)/\($0)" }
    }

    static func decoder(for corpus: String) throws -> EventDecoder {
        let json = try FeatureDecoder(spec: spec)
        if corpus.hasPrefix("AvroDecoder") {
            return EventDecoder(json: json, schemas: .localAvro(EventFormatFixtures.text("fraud-v2.avsc")))
        }
        let descriptorSet = try [UInt8](Data(contentsOf: EventFormatFixtures.directory.appendingPathComponent("fraud.desc")))
        return EventDecoder(json: json, schemas: .localProtobuf(descriptorSet: descriptorSet, message: "sluice.demo.Transaction"))
    }

    @Test(arguments: try cases("AvroDecoder") + cases("ProtobufDecoder"))
    func eachCaseHasTheOutcomeItsNameSays(path: String) throws {
        let name = String(path.split(separator: "/").last!)
        let payload = try [UInt8](Data(contentsOf: Self.fuzz.appendingPathComponent(path)))
        let decoder = try Self.decoder(for: path)
        do {
            let row = try decoder.row(payload)
            #expect((name.hasPrefix("valid-") || name == "empty") && row.allSatisfy(\.isFinite), "\(path) decoded")
        } catch {
            guard case .undecodable(let error) = error else { Issue.record("\(path): \(error)"); return }
            #expect(name.hasPrefix(error.errorClass) || name == "empty", "\(path): \(error)")
        }
    }
}
