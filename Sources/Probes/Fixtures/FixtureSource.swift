import Foundation
import Synchronization
import Wire

/// Hands out fresh fixtures; each probe scenario takes what it consumes.
public protocol FixtureSource: Sendable {
    func next() async throws -> ProbeFixture
}

/// `fixtures.http`: one request per fixture (the reference's `POST /__reference/fixtures` is one).
public struct HTTPFixtureSource: FixtureSource {
    let url: URL
    let method: String
    let headers: [String: String]
    let client = HTTPClient(timeout: .seconds(15))

    public init(url: URL, method: String = "POST", headers: [String: String] = [:]) {
        self.url = url
        self.method = method
        self.headers = headers
    }

    public func next() async throws -> ProbeFixture {
        let response: HTTPResponseData
        do {
            response = try await client.send(HTTPRequestSpec(method: method, url: url, headers: headers.sorted { $0.key < $1.key }))
        } catch {
            throw FixtureError("fixture request to \(url.absoluteString) failed: \(error)")
        }
        guard (200..<300).contains(response.status) else {
            throw FixtureError("fixture request to \(url.absoluteString) answered \(response.status)")
        }
        return try ProbeFixture.decode(response.bodyText, source: url.absoluteString)
    }
}

/// `fixtures.command`: runs the command once per fixture; its stdout is the fixture JSON.
public struct CommandFixtureSource: FixtureSource {
    let command: [String]

    public init(command: [String]) { self.command = command }

    public func next() async throws -> ProbeFixture {
        let output = try await CommandRunner.run(command, timeout: 30)
        return try ProbeFixture.decode(output, source: "fixtures.command '\(command.joined(separator: " "))'")
    }
}

/// `fixtures.static`: a fixed list, each used once, in order.
public final class StaticFixtureSource: FixtureSource {
    private let fixtures: [String]
    private let index = Mutex(0)

    public init(fixtures: [String]) { self.fixtures = fixtures }

    public func next() async throws -> ProbeFixture {
        let i = index.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        guard i < fixtures.count else {
            throw FixtureError("fixtures.static is exhausted: all \(fixtures.count) fixtures are used (each probe needs fresh sessions; `auditor run --dry-run` shows how many)")
        }
        return try ProbeFixture.decode(fixtures[i], source: "fixtures.static[\(i)]")
    }
}
