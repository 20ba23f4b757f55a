import SluiceKernels
import SluiceModel
import Testing
@testable import SluicePipeline

/// `features:` as a mapping by model input name, or left out, against a model with several inputs.
@Suite struct InputFeaturesConfigurationTests {
    let model = try! Model(contentsOf: packageRoot.appendingPathComponent("Models/column-transformer-logistic.onnx").path)

    @Test func withoutFeaturesEachInputIsTheFieldOfItsNameWithTheModelsType() throws {
        let specs = try SluiceConfiguration().inputSpecs(for: model)
        #expect(specs.map(\.name) == ["amount", "account_age_days", "country", "channel"])
        #expect(specs.map(\.elementType) == [.float, .float, .string, .string])
        #expect(specs.map { $0.features.features.map(\.path) } == [["amount"], ["account_age_days"], ["country"], ["channel"]])
        #expect(specs.allSatisfy { $0.rowShape == [1] && $0.features.features[0].length == nil })
    }

    @Test func aMappingNamesEachInputsFieldsAndSurvivesTheEffectiveConfiguration() throws {
        let configuration = try SluiceConfiguration.parse(yaml: """
            features:
              amount: {fields: [{path: tx.amount}]}
              account_age_days: {type: float, shape: [1], fields: [{path: account.age, default: 0}]}
              country: {type: string, fields: [{path: geo.country, default: "unknown"}]}
              channel: {type: string, fields: [{path: channel}]}
            """)
        let specs = try configuration.inputSpecs(for: model)
        #expect(specs[0].features.features[0].path == "tx.amount")
        #expect(specs[2].features.features[0].defaultString == "unknown")
        #expect(specs[1].features.features[0].defaultValue == 0)
        let reread = try SluiceConfiguration.parse(yaml: configuration.redactedYAML)
        #expect(reread.inputFeatures == configuration.inputFeatures)
    }

    @Test func aMappingThatDoesNotFitTheModelIsRefusedByName() throws {
        func problem(_ yaml: String) throws -> String? {
            do {
                _ = try SluiceConfiguration.parse(yaml: yaml).preflightCheck(model: model)
                return nil
            } catch {
                return "\(error)"
            }
        }
        let rest = "\n  account_age_days: {fields: [{path: a}]}\n  country: {type: string, fields: [{path: c}]}\n  channel: {type: string, fields: [{path: h}]}"
        #expect(try problem("features:\n  amount: {fields: [{path: x}]}" + rest) == nil)
        #expect(try problem("features:\n  amount: {type: string, fields: [{path: x}]}" + rest)?.contains("features.amount.type: model input 'amount' is float") == true)
        #expect(try problem("features:\n  amount: {fields: [{path: x}, {path: y}]}" + rest)?.contains("features.amount: its fields make rows of shape [2]") == true)
        #expect(try problem("features:\n  amont: {fields: [{path: x}]}" + rest)?.contains("has no input 'amont'") == true)
        #expect(try problem("features:\n  amount: {fields: [{path: x}]}")?.contains("model input 'account_age_days' has no entry") == true)
        #expect(try problem("features: [{path: x}]")?.contains("a list of features fills one input") == true)
        #expect(throws: ConfigurationError.self) {
            try SluiceConfiguration.parse(yaml: "features:\n  amount: {type: decimal, fields: [{path: x}]}")
        }
        #expect(throws: ConfigurationError.self) {
            do throws(ConfigurationError) {
                try SluiceConfiguration.parse(yaml: "features:\n  amount: {fields: [{path: x}]}\n  country: {type: string, fields: [{path: y}, {path: a..b}]}")
            } catch {
                #expect(error.field == "features.country.fields[1].path")
                throw error
            }
        }
    }
}
