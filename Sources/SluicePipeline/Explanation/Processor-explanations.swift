import SluiceModel

extension Processor {
    /// The explanations of `model`'s audit records, when `audit.explain` is on and `model` can be
    /// explained with `profile`, read when the model was checked. Every model served was checked
    /// by ``SluiceConfiguration/preflightCheck(model:)`` (a reload refuses a model it cannot
    /// explain), so this fails only if the profile file changed in between: that model then
    /// serves without explanations, and a warning says so.
    func auditExplanations(for model: SluiceModel.Model, profile: ReferenceProfile?) -> AuditExplanations? {
        guard let settings = configuration.explanations else { return nil }
        do {
            let attributor = try FeatureAttributor(
                model: model, profile: profile, featureNames: ProfileBuilder.featureNames(configuration.featureSpec)
            )
            return AuditExplanations(attributor: attributor, top: settings.top)
        } catch {
            logger.warning("audit records of model \(model.identity.name) carry no explanation: \(error.description)")
            return nil
        }
    }
}
