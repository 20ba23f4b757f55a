import SluiceModel

/// The checks a model passes before it serves, at start and on every reload: it loads, it fits
/// the configured features (inputs, types, widths), it scores a full batch (the warm-up, which
/// also touches its weights and code before it meets traffic), and it reproduces the golden file
/// when `model.validation` names one.
public enum ModelCandidate {
    /// Loads the model at `path` and checks it for `configuration`; `validating: false` skips the
    /// golden file, for a shadow model, which is on trial precisely because it scores otherwise.
    ///
    /// - Throws: ``ModelRefusal`` saying which check failed and why.
    public static func prepare(path: String, configuration: SluiceConfiguration, validating: Bool = true) throws(ModelRefusal) -> Model {
        let model: Model
        do {
            model = try ModelFile.load(path)
        } catch {
            throw ModelRefusal(.unloadable, "\(error)")
        }
        try check(model, configuration: configuration, validating: validating)
        return model
    }

    /// Checks a loaded `model` for `configuration`: features, warm-up and, when `validating`, the golden file.
    ///
    /// - Throws: ``ModelRefusal`` saying which check failed and why.
    public static func check(_ model: Model, configuration: SluiceConfiguration, validating: Bool = true) throws(ModelRefusal) {
        let decoder: FeatureDecoder
        do {
            decoder = try configuration.preflightCheck(model: model)
        } catch {
            throw ModelRefusal(.incompatible, "\(error)")
        }
        do {
            // The processor's own call, on a batch of the largest size it closes, of zero rows.
            let rows = configuration.batching.maxSize
            _ = try model.makeSession().predict(InputRows(layout: decoder.layout, capacity: rows), rows: 0..<rows)
        } catch {
            throw ModelRefusal(.warmUpFailed, "scoring a batch of \(configuration.batching.maxSize) rows failed: \(error)")
        }
        guard validating else { return }
        let validation: ModelValidation?
        do {
            validation = try configuration.model.loadValidation()
        } catch {
            throw ModelRefusal(.validationFailed, "model.validation: \(error)")
        }
        if let report = validation?.check(model), !report.passed {
            throw ModelRefusal(.validationFailed, report.description)
        }
    }
}

/// Why a model may not serve.
public struct ModelRefusal: Error, CustomStringConvertible, Sendable {
    /// Which check failed; the raw value is the `reason` label of `sluice_model_refusals_total`.
    public enum Reason: String, Sendable, CaseIterable {
        /// The file is missing, unreadable, not ONNX, or uses what Sluice cannot run.
        case unloadable
        /// The configured features do not fit the model's inputs.
        case incompatible
        /// The model failed on a batch of the configured size.
        case warmUpFailed = "warm_up_failed"
        /// The model did not reproduce the golden file, or the golden file could not be read.
        case validationFailed = "validation_failed"
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
