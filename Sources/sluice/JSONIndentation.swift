/// Lays out compact JSON text over several indented lines, keeping its members in their order
/// (a parse and re-serialization would sort or reorder them). Text that is not a JSON object or
/// array is returned as it is.
enum JSONIndentation {
    static func indented(_ text: String, by unit: String = "  ") -> String {
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" else { return text }
        var result = ""
        var depth = 0
        var inString = false
        var escaped = false
        var characters = Array(text).makeIterator()
        var pending = characters.next()
        func newline() { result += "\n" + String(repeating: unit, count: depth) }
        while let character = pending {
            pending = characters.next()
            if inString {
                result.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"":
                inString = true
                result.append(character)
            case "{", "[":
                result.append(character)
                // An empty object or array stays on its line.
                if pending == "}" || pending == "]" {
                    result.append(pending!)
                    pending = characters.next()
                } else {
                    depth += 1
                    newline()
                }
            case "}", "]":
                depth -= 1
                newline()
                result.append(character)
            case ",":
                result.append(character)
                newline()
            case ":":
                result += ": "
            case " ", "\t", "\n", "\r":
                continue
            default:
                result.append(character)
            }
        }
        return result
    }
}
