/// A bad rule file, config file or waiver: names the file, the key and what was expected.
/// Every such error is a usage error (exit 64).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var expected: String
    public var found: String

    public init(file: String, key: String, expected: String, found: String) {
        self.file = file
        self.key = key
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let at = key.isEmpty ? file : "\(file): \(key)"
        return "\(at): expected \(expected), found \(found)"
    }

    /// Turns a decoder's error into one that points at the key.
    init(decoding error: DecodingError, file: String) {
        func path(_ codingPath: [CodingKey], _ last: CodingKey? = nil) -> String {
            var text = ""
            for key in codingPath + (last.map { [$0] } ?? []) {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(file: file, key: path(context.codingPath, key), expected: "this required key", found: "nothing")
        case .typeMismatch(let type, let context):
            self.init(file: file, key: path(context.codingPath), expected: Self.name(of: type), found: context.debugDescription)
        case .valueNotFound(let type, let context):
            self.init(file: file, key: path(context.codingPath), expected: Self.name(of: type), found: "null")
        case .dataCorrupted(let context):
            self.init(file: file, key: path(context.codingPath), expected: "a valid value", found: context.debugDescription)
        @unknown default:
            self.init(file: file, key: "", expected: "a valid document", found: "\(error)")
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let text = String(describing: type)
            return text.hasPrefix("Array") || text.hasPrefix("[") ? "a list" : (text.hasPrefix("Dictionary") ? "a mapping" : "a \(text)")
        }
    }
}
