import SluiceKafka

/// An input record's headers, in order, for an output that carries some of them on.
public protocol InputHeaders {
    /// Calls `body` with every header in order: its name's UTF-8 bytes and its value (`nil` for
    /// a null value), both lent for the call.
    func forEachInputHeader(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) rethrows
}

extension KafkaMessage: InputHeaders {
    public func forEachInputHeader(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) rethrows {
        try forEachHeader { name, value in
            var length = 0
            while name[length] != 0 { length += 1 }
            try body(UnsafeRawBufferPointer(start: name, count: length), value)
        }
    }
}

/// Headers as name/value pairs, as ``KafkaMessage/copiedHeaders`` gives them.
extension Array: InputHeaders where Element == (name: String, value: [UInt8]?) {
    public func forEachInputHeader(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void) rethrows {
        for (name, value) in self {
            var name = name
            try name.withUTF8 { name in
                if let value {
                    try value.withUnsafeBytes { try body(UnsafeRawBufferPointer(name), $0) }
                } else {
                    try body(UnsafeRawBufferPointer(name), nil)
                }
            }
        }
    }
}
