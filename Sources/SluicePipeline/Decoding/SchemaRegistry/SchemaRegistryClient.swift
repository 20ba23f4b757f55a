import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A Confluent Schema Registry's schemas by id (`GET /schemas/ids/{id}`), each fetched once and
/// kept: a registry never changes the schema behind an id; and registration of a producer's
/// schema.
///
/// Lookups block the calling thread for at most ``Settings/timeout``. `https` URLs are verified
/// against the system's certificate authorities; credentials go as HTTP basic authentication.
public final class SchemaRegistryClient: Sendable {
    /// `input.schema_registry`: where the registry is and how to log in.
    public struct Settings: Sendable, Hashable {
        /// The registry's base URL, e.g. `http://registry:8081`.
        public var url: String
        /// Basic-authentication user and password (Confluent Cloud: the API key and secret).
        public var username: String?
        public var password: String?
        /// How long one request may take.
        public var timeout: Duration = .seconds(10)

        public init(url: String, username: String? = nil, password: String? = nil) {
            self.url = url
            self.username = username
            self.password = password
        }
    }

    /// A schema as the registry returns it.
    public struct Schema: Sendable, Hashable {
        /// `AVRO`, `PROTOBUF` or `JSON` (the registry omits it for Avro).
        public var type: String
        /// The schema's text: Avro JSON, or a `.proto` file's source.
        public var text: String

        public init(type: String, text: String) {
            self.type = type
            self.text = text
        }
    }

    public let settings: Settings
    private let session: URLSession
    private let cache = Mutex<[Int32: Schema]>([:])

    public init(settings: Settings) {
        self.settings = settings
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Double(settings.timeout.components.seconds) + Double(settings.timeout.components.attoseconds) * 1e-18
        session = URLSession(configuration: configuration)
    }

    /// The schema with `id`, from the cache or the registry.
    ///
    /// - Throws: ``SchemaLookupError/notFound(_:)`` when the registry answers that it has no such
    ///   schema; ``SchemaLookupError/unavailable(_:)`` for anything else (no answer, an error
    ///   status, an unreadable answer), which a later attempt may cure.
    public func schema(id: Int32) throws(SchemaLookupError) -> Schema {
        if let known = cache.withLock({ $0[id] }) { return known }
        let schema = try fetch(id: id)
        cache.withLock { $0[id] = schema }
        return schema
    }

    /// Registers `schema` under `subject` (`POST /subjects/{subject}/versions`), as a producer
    /// does before it writes, and returns its id; registering a schema the subject already has
    /// returns the existing id.
    public func register(subject: String, schema: Schema) throws(SchemaLookupError) -> Int32 {
        var body: [String: String] = ["schema": schema.text]
        if schema.type != "AVRO" { body["schemaType"] = schema.type }
        let encoded = try? JSONSerialization.data(withJSONObject: body)
        let path = subject.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? subject
        let json = try answer(path: "subjects/\(path)/versions", body: encoded)
        guard let id = json["id"] as? Int, let schemaID = Int32(exactly: id) else { throw .unavailable("the registry answered without an id") }
        cache.withLock { $0[schemaID] = schema }
        return schemaID
    }

    private func fetch(id: Int32) throws(SchemaLookupError) -> Schema {
        let json = try answer(path: "schemas/ids/\(id)", body: nil)
        guard let text = json["schema"] as? String else { throw .unavailable("the registry answered schema \(id) without a \"schema\"") }
        return Schema(type: (json["schemaType"] as? String) ?? "AVRO", text: text)
    }

    /// The Protobuf schema with `id` as a serialized `FileDescriptorProto`
    /// (`GET /schemas/ids/{id}?format=serialized`), which decoding reads instead of the source;
    /// not cached (its decoder keeps what it compiles of it).
    ///
    /// - Throws: as ``schema(id:)``.
    public func fileDescriptor(id: Int32) throws(SchemaLookupError) -> [UInt8] {
        let json = try answer(path: "schemas/ids/\(id)?format=serialized", body: nil)
        guard let base64 = json["schema"] as? String, let bytes = Data(base64Encoded: base64) else {
            throw .unavailable("the registry answered schema \(id) in its serialized form without a base64 \"schema\"")
        }
        return [UInt8](bytes)
    }

    /// The JSON object the registry answers at `path`: a `GET`, or a `POST` of `body`.
    private func answer(path: String, body: Data?) throws(SchemaLookupError) -> [String: Any] {
        let base = settings.url.hasSuffix("/") ? String(settings.url.dropLast()) : settings.url
        guard let url = URL(string: "\(base)/\(path)") else { throw .unavailable("'\(settings.url)' is not a URL") }
        var request = URLRequest(url: url)
        request.setValue("application/vnd.schemaregistry.v1+json, application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/vnd.schemaregistry.v1+json", forHTTPHeaderField: "Content-Type")
        }
        if let username = settings.username {
            let credentials = Data("\(username):\(settings.password ?? "")".utf8).base64EncodedString()
            request.setValue("Basic \(credentials)", forHTTPHeaderField: "Authorization")
        }
        let (status, data) = try send(request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        if status == 404 { throw .notFound((json["message"] as? String) ?? "\(url) was not found") }
        guard status == 200 else {
            let message = (json["message"] as? String).map { ": \($0)" } ?? ""
            throw .unavailable("\(url) answered HTTP \(status)\(message)")
        }
        return json
    }

    /// Sends `request` and waits for its answer.
    private func send(_ request: URLRequest) throws(SchemaLookupError) -> (status: Int, body: Data) {
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<(Int, Data), SchemaLookupError> =
                if let error {
                    .failure(.unavailable("\(request.url!.absoluteString): \(error.localizedDescription)"))
                } else if let response = response as? HTTPURLResponse {
                    .success((response.statusCode, data ?? Data()))
                } else {
                    .failure(.unavailable("\(request.url!.absoluteString): no HTTP answer"))
                }
            answer.result.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        done.wait()
        return try answer.result.withLock { $0! }.get()
    }

    /// Where the session's thread leaves a request's outcome.
    private final class Answer: Sendable {
        let result = Mutex<Result<(Int, Data), SchemaLookupError>?>(nil)
    }
}

/// Why a ``SchemaRegistryClient`` has no schema for an id.
public enum SchemaLookupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The registry answered that it has no such schema: the events that name it are dead letters.
    case notFound(String)
    /// The registry could not be asked or answered with an error: the input waits and asks again.
    case unavailable(String)

    public var description: String {
        switch self {
        case .notFound(let message), .unavailable(let message): message
        }
    }
}
