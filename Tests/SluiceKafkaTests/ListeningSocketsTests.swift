import Glibc
import Testing

@testable import SluiceKafka

struct ListeningSocketsTests {
    @Test func theEmbeddedBrokersListenWithNagleDisabled() throws {
        let cluster = try MockKafkaCluster(brokers: 3)
        let ports = Set(cluster.bootstrapServers.split(separator: ",").compactMap { UInt16($0.split(separator: ":")[1]) })
        #expect(ports.count == 3)

        let listeners = ListeningSockets.descriptors(boundTo: ports)
        #expect(listeners.count == 3)
        #expect(listeners.allSatisfy(ListeningSockets.isNagleDisabled(on:)))
    }

    @Test func aConnectionAcceptedAfterwardsInheritsNagleDisabled() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(INADDR_LOOPBACK).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withSocketAddress(&address) { try check(bind(listener, $0, length), "bind") }
        try check(listen(listener, 1), "listen")
        try withSocketAddress(&address) { try check(getsockname(listener, $0, &length), "getsockname") }
        let port = UInt16(bigEndian: address.sin_port)

        #expect(ListeningSockets.disableNagle(boundTo: [port]) == 1)

        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        try withSocketAddress(&address) { try check(connect(client, $0, length), "connect") }
        let accepted = accept(listener, nil, nil)
        defer { close(accepted) }
        try check(accepted, "accept")
        #expect(ListeningSockets.isNagleDisabled(on: accepted))
        #expect(!ListeningSockets.isNagleDisabled(on: client))
    }

    private func withSocketAddress(_ address: inout sockaddr_in, _ body: (UnsafeMutablePointer<sockaddr>) throws -> Void) rethrows {
        try withUnsafeMutablePointer(to: &address) { try $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
    }

    private func check(_ result: Int32, _ call: String) throws {
        if result < 0 { throw SocketCallFailed(call: call, errno: errno) }
    }

    private struct SocketCallFailed: Error {
        var call: String
        var errno: Int32
    }
}
