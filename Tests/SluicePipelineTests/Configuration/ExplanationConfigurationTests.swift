import Foundation
import SluiceModel
import Testing
@testable import SluicePipeline

/// `audit.explain`: read and checked like every field, and refused at the configuration check for
/// a model it cannot explain, rather than leaving the audit records without explanations.
@Suite struct ExplanationConfigurationTests {
    @Test func explanationsAreOffUnlessAuditExplainNamesATop() throws {
        #expect(try SluiceConfiguration.parse(yaml: "features: [{path: x}]").explanations == nil)
        #expect(try SluiceConfiguration.parse(yaml: "features: [{path: x}]\naudit: {explain: null}").explanations == nil)
        let explanations = try SluiceConfiguration.parse(yaml: "features: [{path: x}]\naudit: {explain: {top: 3, profile: p.json}}").explanations
        #expect(explanations == .init(top: 3, profile: "p.json"))
        var configuration = try SluiceConfiguration.parse(yaml: "features: [{path: x}]")
        for printed in [explanations, .init(top: 5)] {
            configuration.explanations = printed
            #expect(try SluiceConfiguration.parse(yaml: configuration.redactedYAML).explanations == printed, "printed back the same")
        }
    }

    @Test(arguments: ["audit: {explain: {}}", "audit: {explain: {top: 0}}", "audit: {explain: {top: 3, tpo: 1}}", "audit: {explian: {top: 3}}"])
    func invalidSettingsAreRefusedNamingTheField(_ yaml: String) {
        #expect(throws: ConfigurationError.self) { try SluiceConfiguration.parse(yaml: "features: [{path: x}]\n" + yaml) }
    }

    func configuration(model: String, width: Int = 8, explain: String) throws -> (SluiceConfiguration, Model) {
        let configuration = try SluiceConfiguration.parse(yaml: "features: [{path: x, length: \(width)}]\naudit: {explain: \(explain)}")
        return (configuration, try Model(contentsOf: packageRoot.appendingPathComponent("Models/\(model).onnx").path))
    }

    @Test func theCheckRefusesATreeEnsembleWithoutAProfile() throws {
        let (configuration, model) = try configuration(model: "xgboost-regressor", explain: "{top: 3}")
        let error = #expect(throws: ExplanationError.self) { try configuration.preflightCheck(model: model) }
        #expect(error?.description.contains("sluice profile") == true)
    }

    @Test func theCheckRefusesAModelWithoutATreeOrLinearStage() throws {
        let (configuration, model) = try configuration(model: "mlp-regressor", width: 10, explain: "{top: 3}")
        let error = #expect(throws: ExplanationError.self) { try configuration.preflightCheck(model: model) }
        #expect(error?.description.contains("not available") == true)
    }

    @Test func aLinearModelPassesTheCheckWithoutAProfile() throws {
        let (configuration, model) = try configuration(model: "linear-regression", explain: "{top: 2}")
        _ = try configuration.preflightCheck(model: model)
    }

    @Test func aReloadRefusesAModelItCannotExplainWhileAShadowIsNotHeldToIt() throws {
        let (configuration, model) = try configuration(model: "mlp-regressor", width: 10, explain: "{top: 3}")
        let refusal = #expect(throws: ModelRefusal.self) { try ModelCandidate.check(model, configuration: configuration) }
        #expect(refusal?.reason == .incompatible)
        try ModelCandidate.check(model, configuration: configuration.shadowChecks, validating: false)
    }

    @Test func featuresGivenByInputNameAreRefusedAsTheyNameNoColumns() throws {
        let configuration = try SluiceConfiguration.parse(
            yaml: "features: {features: {fields: [{path: x, length: 8}]}}\naudit: {explain: {top: 3}}"
        )
        let model = try Model(contentsOf: packageRoot.appendingPathComponent("Models/linear-regression.onnx").path)
        let error = #expect(throws: ExplanationError.self) { try configuration.featureAttributor(for: model) }
        #expect(error?.description.contains("as a list") == true)
    }
}
