import Foundation
import Yams

/// One node of the config with its key path, so every error can say where it is.
struct Reader {
    let node: Node
    let path: String
    let file: String
    let environment: [String: String]

    func child(_ key: String, _ node: Node) -> Reader {
        Reader(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file, environment: environment)
    }

    func error(_ expected: String, _ found: String) -> ConfigError {
        ConfigError(file: file, key: path, expected: expected, found: found)
    }

    var kind: String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func entries() throws -> [(String, Reader)] {
        guard case .mapping(let mapping) = node else { throw error("a mapping", kind) }
        return mapping.map { (key, value) in (key.string ?? "", child(key.string ?? "", value)) }
    }

    /// Checks the node is a mapping and warns about keys nobody reads.
    func mapping(allowed: [String], warnings: inout [String]) throws {
        for (key, reader) in try entries() where !allowed.contains(key) {
            warnings.append("\(file): unknown key '\(reader.path)' ignored (known here: \(allowed.joined(separator: ", ")))")
        }
    }

    func optional(_ key: String) -> Reader? {
        guard case .mapping(let mapping) = node, let value = mapping[key] else { return nil }
        if case .scalar(let s) = value, s.string == "null" || s.string == "~" || s.string.isEmpty, s.style == .plain { return nil }
        return child(key, value)
    }

    func required(_ key: String) throws -> Reader {
        guard let value = optional(key) else {
            throw ConfigError(file: file, key: path.isEmpty ? key : "\(path).\(key)", expected: "this required key", found: "nothing")
        }
        return value
    }

    func list() throws -> [Reader] {
        guard case .sequence(let sequence) = node else { throw error("a list", kind) }
        return sequence.enumerated().map { index, value in
            Reader(node: value, path: "\(path)[\(index)]", file: file, environment: environment)
        }
    }

    /// A scalar with `${VAR}` replaced from the environment, in one pass: a value is inserted as
    /// it is, never expanded again (a password may contain `${`). An unset variable is an error.
    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("a string", kind) }
        var rest = Substring(scalar.string)
        var text = ""
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else { throw error("environment variable \(name) to be set", "it unset") }
            text += rest[..<start.lowerBound] + value
            rest = rest[rest.index(after: end)...]
        }
        return text + rest
    }

    /// A finite number (NaN and infinities are not numbers a config means).
    func number() throws -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw error("a finite number", "'\(text)'") }
        return value
    }

    /// A finite number of seconds: `90`, `90s`, `2m`, `500ms`.
    func seconds() throws -> Double {
        let text = try string().trimmingCharacters(in: .whitespaces)
        let value: Double?
        if let plain = Double(text) { value = plain }
        else if text.hasSuffix("ms"), let ms = Double(text.dropLast(2)) { value = ms / 1000 }
        else if text.hasSuffix("s"), let s = Double(text.dropLast()) { value = s }
        else if text.hasSuffix("m"), let m = Double(text.dropLast()) { value = m * 60 }
        else { value = nil }
        guard let value, value.isFinite else { throw error("a duration (90, 90s, 2m)", "'\(text)'") }
        return value
    }

    /// `true` or `false` (YAML's yes/no/on/off are not accepted: they are a classic surprise).
    func bool() throws -> Bool {
        let text = try string()
        switch text {
        case "true": return true
        case "false": return false
        default: throw error("true or false", "'\(text)'")
        }
    }

    func url(schemes: [String] = ["http", "https"]) throws -> URL {
        let text = try string()
        guard let url = URL(string: text), let scheme = url.scheme, schemes.contains(scheme), url.host != nil else {
            throw error("a URL (\(schemes.joined(separator: ", ")))", "'\(text)'")
        }
        return url
    }

    func hostPort() throws -> HostPort {
        let text = try string()
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw error("host:port", "'\(text)'")
        }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return HostPort(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }

    /// The node as JSON text (a static fixture), with `${VAR}` applied to every string. Bounded:
    /// YAML aliases (`*name`) are resolved by the YAML library, so nested ones could multiply a
    /// few hundred bytes into gigabytes (the "billion laughs"); a fixture is small.
    func json() throws -> String {
        var budget = Self.maxFixtureNodes
        let value = try plain(budget: &budget)
        guard JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else {
            throw error("a fixture object", kind)
        }
        return String(decoding: data, as: UTF8.self)
    }

    static let maxFixtureNodes = 10_000

    private func plain(budget: inout Int) throws -> Any {
        budget -= 1
        guard budget >= 0 else { throw error("a fixture of at most \(Self.maxFixtureNodes) values", "more (nested aliases?)") }
        switch node {
        case .mapping:
            var object: [String: Any] = [:]
            for (key, value) in try entries() { object[key] = try value.plain(budget: &budget) }
            return object
        case .sequence:
            return try list().map { try $0.plain(budget: &budget) }
        case .scalar(let scalar):
            if scalar.style == .plain, let number = Double(scalar.string) { return number }
            return try string()
        case .alias:
            throw error("no aliases", kind)
        }
    }
}
