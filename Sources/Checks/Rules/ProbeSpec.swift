/// The probe kind and its parameters (counts, distances, waits), passed to the probe as they are.
public struct ProbeSpec: Sendable, Equatable, Codable {
    public var kind: String
    public var parameters: [String: Double]

    public init(kind: String, parameters: [String: Double] = [:]) {
        self.kind = kind
        self.parameters = parameters
    }

    public func number(_ name: String, default value: Double) -> Double { parameters[name] ?? value }
    public func count(_ name: String, default value: Int) -> Int { parameters[name].map { Int($0) } ?? value }
}


extension ProbeSpec {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `{kind: race, concurrency: 20}`: `kind` plus numeric parameters.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        kind = try container.decode(String.self, forKey: AnyKey(stringValue: "kind"))
        var parameters: [String: Double] = [:]
        for key in container.allKeys where key.stringValue != "kind" {
            parameters[key.stringValue] = try container.decode(Double.self, forKey: key)
        }
        self.parameters = parameters
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(kind, forKey: AnyKey(stringValue: "kind"))
        for (key, value) in parameters { try container.encode(value, forKey: AnyKey(stringValue: key)) }
    }
}

