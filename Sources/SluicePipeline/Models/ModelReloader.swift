import Foundation
import Logging
import SluiceModel

/// Replaces a running processor's model with the file at `model.path` when asked (the file
/// changed, SIGHUP, `POST /model/reload`): the candidate is loaded and passes every check of
/// ``ModelCandidate`` before it serves; a refused one is logged and reported, and the serving
/// model goes on. Reloads run one at a time, off the processor's thread, which only picks the
/// new model up between two batches (``ModelHolder``).
public actor ModelReloader {
    /// What asked for a reload: the `trigger` label of `sluice_model_loads_total`.
    public enum Trigger: String, Sendable, CaseIterable {
        case fileChanged = "file"
        case signal
        case http
    }

    public nonisolated let configuration: SluiceConfiguration
    public nonisolated let holder: ModelHolder
    private let observer: (any ModelLifecycleObserver)?
    private let logger: Logger

    public init(configuration: SluiceConfiguration, holder: ModelHolder, observer: (any ModelLifecycleObserver)?, logger: Logger) {
        self.configuration = configuration
        self.holder = holder
        self.observer = observer
        self.logger = logger
    }

    /// Loads, checks and, when it passes and differs from the serving model, serves the model now
    /// at `model.path`.
    public func reload(_ trigger: Trigger) -> ModelReloadOutcome {
        let path = configuration.model.path
        observer?.modelLoadAttempted(trigger: trigger)
        let candidate: Model
        let profiles: ModelProfiles
        do throws(ModelRefusal) {
            candidate = try ModelCandidate.prepare(path: path, configuration: configuration)
            profiles = try ModelProfiles.checked(configuration, model: candidate)
        } catch {
            observer?.modelRefused(error)
            logger.error(
                "model refused; the serving model goes on",
                metadata: ["path": "\(path)", "trigger": "\(trigger.rawValue)", "reason": "\(error.reason.rawValue)", "error": "\(error)"]
            )
            return .refused(error, serving: holder.served)
        }
        let previous = holder.served
        guard candidate.identity.sha256 != previous.sha256 else {
            logger.info("model file unchanged; nothing to reload", metadata: ["path": "\(path)", "trigger": "\(trigger.rawValue)"])
            return .unchanged(previous)
        }
        let served = holder.replace(with: candidate, profiles: profiles)
        observer?.modelServed(served, replacing: previous)
        logger.info(
            "model reloaded; it scores from the next batch",
            metadata: [
                "path": "\(path)", "trigger": "\(trigger.rawValue)", "name": "\(served.name)", "version": "\(served.version)",
                "sha256": "\(served.sha256)", "previous_sha256": "\(previous.sha256)",
            ]
        )
        return .served(served, previous: previous)
    }
}

/// What a reload did.
public enum ModelReloadOutcome: Sendable {
    /// The candidate serves from the next batch, in place of `previous`.
    case served(RecordContext.Model, previous: RecordContext.Model)
    /// The file holds the serving model already.
    case unchanged(RecordContext.Model)
    /// The candidate failed a check; `serving` goes on.
    case refused(ModelRefusal, serving: RecordContext.Model)

    /// The outcome as the JSON body `POST /model/reload` answers with: `outcome`, the `model`
    /// serving after it, and `previous`, or the refusal's `reason` and `error`.
    public var json: String {
        func model(_ model: RecordContext.Model) -> [String: String] {
            ["name": model.name, "version": model.version, "sha256": model.sha256]
        }
        let object: [String: Any] = switch self {
        case .served(let served, let previous): ["outcome": "served", "model": model(served), "previous": model(previous)]
        case .unchanged(let serving): ["outcome": "unchanged", "model": model(serving)]
        case .refused(let refusal, let serving):
            ["outcome": "refused", "reason": refusal.reason.rawValue, "error": refusal.message, "model": model(serving)]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether the model that serves after the reload is the one in the file.
    public var isServingFile: Bool {
        if case .refused = self { return false }
        return true
    }
}

/// Told what happens to models while a processor runs, for metrics. Called off the processor's
/// thread, one reload at a time.
public protocol ModelLifecycleObserver: AnyObject, Sendable {
    /// A reload was asked for and a candidate is about to be loaded.
    func modelLoadAttempted(trigger: ModelReloader.Trigger)
    /// `model` serves from the next batch in place of `previous`.
    func modelServed(_ model: RecordContext.Model, replacing previous: RecordContext.Model)
    /// A candidate failed a check.
    func modelRefused(_ refusal: ModelRefusal)
}
