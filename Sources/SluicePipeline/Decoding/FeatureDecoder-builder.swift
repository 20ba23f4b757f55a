extension FeatureDecoder {
    /// The spec's paths as a tree of objects, flattened so that each object's members are
    /// contiguous and the root is node 0.
    struct Builder {
        private final class Object {
            var members: [(key: String, entry: Entry)] = []
        }

        private enum Entry {
            case leaf(Target, featureIndex: Int)
            case object(Object)
        }

        private let root = Object()

        func insert(keys: ArraySlice<Substring>, target: Target, featureIndex: Int, path: String) throws(FeatureSpecError) {
            var object = root
            for (position, key) in zip(keys.indices, keys) {
                let isLast = position == keys.index(before: keys.endIndex)
                let existing = object.members.firstIndex { $0.key == String(key) }
                switch (existing.map { object.members[$0].entry }, isLast) {
                case (nil, true):
                    object.members.append((String(key), .leaf(target, featureIndex: featureIndex)))
                case (nil, false):
                    let child = Object()
                    object.members.append((String(key), .object(child)))
                    object = child
                case (.object(let child), false):
                    object = child
                case (.leaf(_, let other), _):
                    throw FeatureSpecError(
                        featureIndex: featureIndex,
                        field: "path",
                        detail: "'\(path)' clashes with features[\(other)].path, which already reads '\(keys[...position].joined(separator: "."))'"
                    )
                case (.object, true):
                    throw FeatureSpecError(
                        featureIndex: featureIndex,
                        field: "path",
                        detail: "'\(path)' is an object that other features read fields of"
                    )
                }
            }
        }

        func flatten() -> (nodes: [Node], members: [Member], keys: [UInt8]) {
            var nodes: [Node] = []
            var members: [Member] = []
            var keys: [UInt8] = []
            var queue: [Object] = [root]
            var head = 0
            while head < queue.count {
                let object = queue[head]
                head += 1
                nodes.append(Node(firstMember: members.count, memberCount: object.members.count))
                for (key, entry) in object.members {
                    let keyStart = keys.count
                    keys.append(contentsOf: key.utf8)
                    let target: Target
                    switch entry {
                    case .leaf(let leafTarget, _):
                        target = leafTarget
                    case .object(let child):
                        queue.append(child)
                        target = .object(node: queue.count - 1)
                    }
                    members.append(
                        Member(keyStart: keyStart, keyCount: keys.count - keyStart, keyPrefix: JSONKey.prefix(of: key.utf8), target: target)
                    )
                }
            }
            return (nodes, members, keys)
        }
    }
}
