import NIOHTTP1
import SluicePipeline
import Synchronization

/// `POST /model/reload`: has the running processor's ``ModelReloader`` load, check and serve the
/// model file, and answers with the outcome as JSON (``ModelReloadOutcome/json``): 200 when the
/// file's model serves (new or unchanged), 422 when it was refused, 503 before a processor runs.
public final class ModelReloadEndpoint: Sendable {
    private let reloader = Mutex<ModelReloader?>(nil)

    public init() {}

    /// From now on, requests reload through `reloader`.
    public func connect(_ reloader: ModelReloader) {
        self.reloader.withLock { $0 = reloader }
    }

    static let path = "/model/reload"

    func respond() async -> ObservabilityRoutes.Response {
        guard let reloader = reloader.withLock({ $0 }) else {
            return .init(status: .serviceUnavailable, contentType: "text/plain; charset=utf-8", body: Array("no model is serving yet\n".utf8))
        }
        let outcome = await reloader.reload(.http)
        return .init(
            status: outcome.isServingFile ? .ok : .unprocessableEntity, contentType: "application/json", body: Array((outcome.json + "\n").utf8)
        )
    }
}
