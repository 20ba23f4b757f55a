import SluiceModel
import Synchronization

/// The model a ``Processor`` serves, which a reload replaces while the processor runs.
///
/// The processor's loop looks for a replacement before each batch and never during one, so every
/// batch is scored by one model and its records name that model (name, version and the file's
/// SHA-256). Looking costs one atomic load per batch; only a replacement takes the lock.
public final class ModelHolder: Sendable {
    /// A model with the encoder that writes its records and the profiles read for it.
    struct Serving: Sendable {
        var model: Model
        var encoder: RecordEncoder
        var profiles: ModelProfiles
        var generation: Int
    }

    /// The records' context, whose model part each replacement changes.
    private let context: RecordContext
    private let configuration: SluiceConfiguration
    private let serving: Mutex<Serving>
    private let generation = Atomic<Int>(0)

    /// Serves `model` first, with the profiles `configuration` names for it; its records carry
    /// `context`, with the model named after `configuration`.
    ///
    /// - Throws: ``ProfileError`` when a profile does not fit `model`.
    public init(model: Model, context: RecordContext, configuration: SluiceConfiguration) throws(ProfileError) {
        let profiles = try ModelProfiles(configuration, model: model)
        self.context = context
        self.configuration = configuration
        serving = Mutex(Serving(model: model, encoder: Self.encoder(model, context), profiles: profiles, generation: 0))
    }

    /// The model serving now, as the records name it.
    public var served: RecordContext.Model { serving.withLock { $0.encoder.context.model } }

    /// The model serving now.
    public var model: Model { serving.withLock { $0.model } }

    /// Serves `model` from the next batch on, monitored and explained with `profiles`; returns
    /// how its records name it. The caller has checked it (``ModelCandidate``).
    @discardableResult
    func replace(with model: Model, profiles: ModelProfiles) -> RecordContext.Model {
        var next = context
        next.model = RecordContext.Model(configuration, model)
        let encoder = Self.encoder(model, next)
        serving.withLock { serving in
            serving = Serving(model: model, encoder: encoder, profiles: profiles, generation: serving.generation + 1)
            generation.store(serving.generation, ordering: .releasing)
        }
        return encoder.context.model
    }

    /// The model serving now, when it is not the one of `generation`.
    func replacement(after generation: Int) -> Serving? {
        guard self.generation.load(ordering: .acquiring) != generation else { return nil }
        return serving.withLock { $0 }
    }

    /// The model serving now, with its generation.
    var current: Serving { serving.withLock { $0 } }

    private static func encoder(_ model: Model, _ context: RecordContext) -> RecordEncoder {
        RecordEncoder(context: context, outputs: model.outputs)
    }
}
