import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A Schema Registry serving the REST subset Sluice uses (`GET /schemas/ids/{id}`, `POST
/// /subjects/{subject}/versions`) over real HTTP on a loopback port, in the test process:
/// Confluent's answers, a 404 with `error_code` 40403 for an unknown id, and a 503 while
/// ``isFailing``. Counts requests and keeps the last `Authorization` header.
final class TestSchemaRegistry: Sendable {
    private let channel: any Channel
    private let state: RegistryState

    /// Serves `schemas` by id; `type` nil for Avro, as Confluent's registry omits it.
    init(schemas: [Int32: (type: String?, text: String)]) async throws {
        let state = RegistryState(schemas: schemas)
        self.state = state
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RegistryHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    /// The registry's base URL.
    var url: String { "http://127.0.0.1:\(channel.localAddress!.port!)" }

    /// While true, every request is answered 503 Service Unavailable.
    var isFailing: Bool {
        get { state.failing.load(ordering: .relaxed) }
        set { state.failing.store(newValue, ordering: .relaxed) }
    }

    var requests: Int { state.observed.withLock { $0.requests } }
    var lastAuthorization: String? { state.observed.withLock { $0.authorization } }
    /// The schemas it has now, by id.
    var registered: [Int32: (type: String?, text: String)] { state.schemas.withLock { $0 } }

    func stop() async throws {
        try await channel.close()
    }
}

/// What the registry has and has seen, shared with its connections' handlers.
private final class RegistryState: Sendable {
    struct Observed {
        var requests = 0
        var authorization: String?
    }

    let schemas: Mutex<[Int32: (type: String?, text: String)]>
    let failing = Atomic<Bool>(false)
    let observed = Mutex(Observed())

    init(schemas: [Int32: (type: String?, text: String)]) {
        self.schemas = Mutex(schemas)
    }

    /// The status and JSON body for a request of `uri`, with `body` for a `POST`.
    func answer(uri: String, body: [UInt8]?, authorization: String?) -> (HTTPResponseStatus, String) {
        observed.withLock {
            $0.requests += 1
            $0.authorization = authorization
        }
        if failing.load(ordering: .relaxed) {
            return (.serviceUnavailable, #"{"error_code":50003,"message":"Error while forwarding the request to the leader"}"#)
        }
        if let body, uri.hasPrefix("/subjects/"), uri.hasSuffix("/versions"),
            let request = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: String], let text = request["schema"]
        {
            let id = schemas.withLock { schemas in
                if let known = schemas.first(where: { $0.value.text == text })?.key { return known }
                let id = (schemas.keys.max() ?? 0) + 1
                schemas[id] = (request["schemaType"], text)
                return id
            }
            return (.ok, #"{"id":\#(id)}"#)
        }
        let prefix = "/schemas/ids/"
        let parts = uri.split(separator: "?", maxSplits: 1)
        guard uri.hasPrefix(prefix), let id = Int32(parts[0].dropFirst(prefix.count)) else {
            return (.notFound, #"{"error_code":404,"message":"HTTP 404 Not Found"}"#)
        }
        guard let schema = schemas.withLock({ $0[id] }) else { return (.notFound, #"{"error_code":40403,"message":"Schema \#(id) not found"}"#) }
        // A Protobuf schema's text here is its serialized form, base64, which Confluent gives only
        // for ?format=serialized, and the .proto source otherwise.
        let isSerialized = parts.count == 2 && parts[1] == "format=serialized"
        let text = schema.type == "PROTOBUF" && !isSerialized ? "syntax = \"proto3\";" : schema.text
        var answer: [String: String] = ["schema": text]
        if let type = schema.type { answer["schemaType"] = type }
        let data = try! JSONSerialization.data(withJSONObject: answer)
        return (.ok, String(decoding: data, as: UTF8.self))
    }
}

private final class RegistryHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let state: RegistryState
    private var request: HTTPRequestHead?

    init(state: RegistryState) {
        self.state = state
    }

    private var body: [UInt8]?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            request = head
            body = head.method == .POST ? [] : nil
        case .body(var buffer):
            body? += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            break
        }
        guard case .end = part, let request else { return }
        let (status, body) = state.answer(uri: request.uri, body: self.body, authorization: request.headers.first(name: "Authorization"))
        let bytes = context.channel.allocator.buffer(string: body)
        let headers: HTTPHeaders = ["Content-Type": "application/vnd.schemaregistry.v1+json", "Content-Length": "\(bytes.readableBytes)", "Connection": "close"]
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
