/// Expansion of references in configuration values, so that secrets need not be written into
/// the file: `${NAME}` is the environment variable `NAME`, `${file:PATH}` the contents of the
/// file at `PATH` without its final newline (as mounted by Kubernetes or Docker secrets), and
/// `$$` a literal `$`.
enum SecretReference {
    struct Failure: Error {
        var problem: String
    }

    static func expand(_ text: String, environment: [String: String], readFile: (String) throws -> String) throws(Failure) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var rest = text[...]
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.first == "$" {
                result += "$"
                rest = after.dropFirst()
                continue
            }
            guard after.first == "{" else {
                result += "$"
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else { throw Failure(problem: "unterminated '${' reference") }
            let reference = String(after[after.index(after: after.startIndex)..<close])
            if reference.hasPrefix("file:") {
                let path = String(reference.dropFirst("file:".count))
                do {
                    var contents = try readFile(path)
                    if contents.hasSuffix("\n") { contents.removeLast() }
                    result += contents
                } catch {
                    throw Failure(problem: "cannot read secret file '\(path)': \(error)")
                }
            } else {
                guard !reference.isEmpty, reference.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw Failure(problem: "'${\(reference)}' is neither an environment variable nor a file: reference")
                }
                guard let value = environment[reference] else {
                    throw Failure(problem: "environment variable \(reference) is not set")
                }
                result += value
            }
            rest = after[after.index(after: close)...]
        }
        return result + rest
    }
}
