import SluiceModel

/// The profiles a served model is monitored and explained with, read from their files when the
/// model was checked (at start, and on each reload): a reload that brings a new model and its new
/// profile switches both together, between two batches.
struct ModelProfiles: Sendable {
    /// Drift monitoring's reference (`monitoring.profile`), made with this model; `nil` when
    /// monitoring is off.
    var reference: ReferenceProfile?
    /// The profile `audit.explain` measures from (`audit.explain.profile`, or
    /// `monitoring.profile`); `nil` when there is none.
    var explanation: ReferenceProfile?

    /// Reads the profiles `configuration` names for `model`, checked to fit it.
    ///
    /// - Throws: ``ProfileError`` saying what does not fit.
    init(_ configuration: SluiceConfiguration, model: Model) throws(ProfileError) {
        reference = try configuration.referenceProfile(for: model)
        explanation = try configuration.explanationProfile()
    }

    /// Reads the profiles of a reload candidate that passed ``ModelCandidate``'s checks, whose
    /// preflight read them already: this fails only if a profile file changed since.
    ///
    /// - Throws: ``ModelRefusal`` (`incompatible`) saying what does not fit.
    static func checked(_ configuration: SluiceConfiguration, model: Model) throws(ModelRefusal) -> ModelProfiles {
        do {
            return try ModelProfiles(configuration, model: model)
        } catch {
            throw ModelRefusal(.incompatible, "\(error)")
        }
    }
}
