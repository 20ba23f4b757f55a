import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP endpoint operators and Prometheus reach: `GET /metrics` (Prometheus text format),
/// `GET /healthz` and `GET /readyz` (200 or 503 with a JSON body saying why), and
/// `POST /model/reload` (``ModelReloadEndpoint``).
///
/// Runs on SwiftNIO's shared event loops, never on the processor's thread; each request is
/// answered from thread-safe state without blocking.
public final class ObservabilityServer: Sendable {
    /// The address the server listens on; its port is the real one when port 0 was asked for.
    public let localAddress: SocketAddress
    private let channel: any Channel

    /// Starts listening on `listen` (`host:port`, `[v6]:port`; port 0 picks a free one).
    public static func start(
        listen: String, metrics: SluiceMetrics?, health: ServiceHealth, modelReload: ModelReloadEndpoint = ModelReloadEndpoint(), logger: Logger
    ) async throws -> ObservabilityServer {
        let (host, port) = try parse(listen)
        let routes = ObservabilityRoutes(metrics: metrics, health: health, modelReload: modelReload)
        let channel: any Channel
        do {
            channel = try await bind(host: host, port: port, routes: routes)
        } catch let error as IOError {
            throw ListenError(address: listen, reason: String(cString: strerror(error.errnoCode)))
        } catch {
            throw ListenError(address: listen, reason: "\(error)")
        }
        let server = ObservabilityServer(channel: channel)
        logger.info(
            "serving /metrics, /healthz and /readyz",
            metadata: ["address": "\(server.localAddress.ipAddress ?? host):\(server.port)"]
        )
        return server
    }

    private static func bind(host: String, port: Int, routes: ObservabilityRoutes) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ObservabilityHTTPHandler(routes: routes))
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    private init(channel: any Channel) {
        self.channel = channel
        localAddress = channel.localAddress!
    }

    /// The port listened on.
    public var port: Int { localAddress.port ?? 0 }

    /// Stops listening and closes the connections.
    public func stop() async throws {
        try await channel.close()
    }

    static func parse(_ listen: String) throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ListenAddressError(address: listen)
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}

/// An `http.listen` value that is not `host:port`.
public struct ListenAddressError: Error, CustomStringConvertible {
    public var address: String
    public var description: String { "http.listen: expected host:port, got '\(address)'" }
}

/// The endpoint could not listen on `http.listen`, for `reason` (`Address already in use`).
public struct ListenError: Error, CustomStringConvertible {
    public var address: String
    public var reason: String
    public var description: String { "cannot listen on \(address): \(reason)" }
}

/// What each path answers.
struct ObservabilityRoutes: Sendable {
    struct Response {
        var status: HTTPResponseStatus
        var contentType: String
        var body: [UInt8]
    }

    let metrics: SluiceMetrics?
    let health: ServiceHealth
    let modelReload: ModelReloadEndpoint

    /// Whether the request is answered asynchronously by ``modelReload``.
    func isModelReload(method: HTTPMethod, uri: String) -> Bool {
        method == .POST && (uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri) == ModelReloadEndpoint.path
    }

    func respond(method: HTTPMethod, uri: String) -> Response {
        guard method == .GET || method == .HEAD else {
            return Response(status: .methodNotAllowed, contentType: "text/plain; charset=utf-8", body: Array("use GET (POST for /model/reload)\n".utf8))
        }
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        switch path {
        case "/metrics":
            guard let metrics else {
                return Response(status: .notFound, contentType: "text/plain; charset=utf-8", body: Array("metrics are disabled\n".utf8))
            }
            return Response(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.exposition())
        case "/healthz":
            metrics?.refreshKafkaStatistics()
            return verdict(health.liveness())
        case "/readyz":
            metrics?.refreshKafkaStatistics()
            return verdict(health.readiness())
        case ModelReloadEndpoint.path:
            return Response(status: .methodNotAllowed, contentType: "text/plain; charset=utf-8", body: Array("use POST\n".utf8))
        default:
            return Response(status: .notFound, contentType: "text/plain; charset=utf-8", body: Array("not found: try /metrics, /healthz or /readyz\n".utf8))
        }
    }

    private func verdict(_ verdict: ServiceHealth.Verdict) -> Response {
        Response(
            status: verdict.isPositive ? .ok : .serviceUnavailable,
            contentType: "application/json",
            body: Array((verdict.json + "\n").utf8)
        )
    }
}

/// Answers each request of one connection once its end has arrived.
final class ObservabilityHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: ObservabilityRoutes
    private var head: HTTPRequestHead?

    init(routes: ObservabilityRoutes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            guard !routes.isModelReload(method: head.method, uri: head.uri) else {
                let promise = context.eventLoop.makePromise(of: ObservabilityRoutes.Response.self)
                promise.completeWithTask { [modelReload = routes.modelReload] in await modelReload.respond() }
                promise.futureResult.assumeIsolated().whenSuccess { response in self.write(response, to: head, context: context) }
                return
            }
            write(routes.respond(method: head.method, uri: head.uri), to: head, context: context)
        }
    }

    private func write(_ response: ObservabilityRoutes.Response, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: head.isKeepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: response.status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let keepAlive = head.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
