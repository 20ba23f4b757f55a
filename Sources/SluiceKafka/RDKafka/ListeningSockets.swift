import Glibc

/// This process's listening TCP sockets, found by port.
///
/// librdkafka's mock brokers accept connections without `TCP_NODELAY`, so a response written in
/// pieces waits for the client's delayed acknowledgement (40 ms on Linux) before its last piece
/// leaves: round trips to the embedded cluster of 0.3 ms turned into 42–49 ms every few hundred
/// milliseconds at 100,000 events/s. Kafka's brokers set `TCP_NODELAY` on every connection they
/// accept; on Linux an accepted socket inherits it from its listener, so setting it on the mock's
/// listeners once gives their connections what a real broker's have.
enum ListeningSockets {
    /// The descriptors of the listening IPv4 TCP sockets bound to one of `ports`.
    static func descriptors(boundTo ports: Set<UInt16>) -> [Int32] {
        openDescriptors().filter { descriptor in
            guard let port = boundIPv4Port(of: descriptor), ports.contains(port) else { return false }
            return integerOption(SOL_SOCKET, SO_ACCEPTCONN, of: descriptor) == 1
        }
    }

    /// Sets `TCP_NODELAY` on the listening sockets bound to `ports`, so that the connections they
    /// accept from now on send without Nagle's delay. Returns how many listeners it set.
    @discardableResult
    static func disableNagle(boundTo ports: Set<UInt16>) -> Int {
        var one: Int32 = 1
        return descriptors(boundTo: ports).count { descriptor in
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0
        }
    }

    /// Whether `TCP_NODELAY` is set on `descriptor`.
    static func isNagleDisabled(on descriptor: Int32) -> Bool {
        integerOption(Int32(IPPROTO_TCP), TCP_NODELAY, of: descriptor) == 1
    }

    /// The open file descriptors, from `/proc/self/fd`.
    private static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let listing = dirfd(directory)
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name), descriptor != listing { descriptors.append(descriptor) }
        }
        return descriptors
    }

    /// The local port of an IPv4 socket; `nil` for any other descriptor.
    private static func boundIPv4Port(of descriptor: Int32) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func integerOption(_ level: Int32, _ name: Int32, of descriptor: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, level, name, &value, &length) == 0 ? value : nil
    }
}
