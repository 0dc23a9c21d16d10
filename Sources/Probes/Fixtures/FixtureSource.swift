import Foundation
import Synchronization
import Wire

/// Where fixture documents come from (`fixtures.http`, `.command`, `.static`), whatever the
/// pack's fixture shape: one JSON document per fixture, and where it came from for errors.
public protocol FixtureDocuments: Sendable {
    func document() async throws -> (text: String, source: String)
}

/// Hands out fresh fixtures; each probe scenario takes what it consumes.
public protocol FixtureSource: Sendable {
    func next() async throws -> ProbeFixture
    /// Many at once (the scale probe's thousands); by default one after another, 16 at a time.
    func batch(_ count: Int) async throws -> [ProbeFixture]
}

extension FixtureSource {
    public func batch(_ count: Int) async throws -> [ProbeFixture] {
        var fixtures: [ProbeFixture] = []
        var remaining = count
        while remaining > 0 {
            let step = min(16, remaining)
            let some = try await withThrowingTaskGroup(of: ProbeFixture.self) { group in
                for _ in 0..<step { group.addTask { try await self.next() } }
                var got: [ProbeFixture] = []
                for try await fixture in group { got.append(fixture) }
                return got
            }
            fixtures += some
            remaining -= step
        }
        return fixtures
    }
}

/// `fixtures.http`: one request per fixture (the reference's `POST /__reference/fixtures` is one).
public struct HTTPFixtureSource: FixtureSource, FixtureDocuments {
    let url: URL
    let method: String
    let headers: [String: String]
    /// The target's client (TLS, `target.headers`) with a fixture's patience.
    let client: HTTPClient

    public init(url: URL, method: String = "POST", headers: [String: String] = [:], client: HTTPClient = HTTPClient()) {
        self.url = url
        self.method = method
        self.headers = headers
        var client = client
        client.timeout = .seconds(15)
        self.client = client
    }

    public func next() async throws -> ProbeFixture {
        let (text, source) = try await document()
        return try ProbeFixture.decode(text, source: source)
    }

    public func document() async throws -> (text: String, source: String) {
        let response: HTTPResponseData
        do {
            response = try await client.send(HTTPRequestSpec(method: method, url: url, headers: headers.sorted { $0.key < $1.key }))
        } catch {
            throw FixtureError("fixture request to \(url.absoluteString) failed: \(WireErrors.plain(error))")
        }
        guard (200..<300).contains(response.status) else {
            throw FixtureError("fixture request to \(url.absoluteString) answered \(response.status)")
        }
        return (response.bodyText, url.absoluteString)
    }

    private var batchClient: HTTPClient {
        var slow = client
        slow.timeout = .seconds(120)
        return slow
    }

    /// Asks for `?count=N` first (the reference's batch form); falls back to one request each.
    public func batch(_ count: Int) async throws -> [ProbeFixture] {
        struct Batch: Decodable { var fixtures: [ProbeFixture] }
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [URLQueryItem(name: "count", value: String(count))]
        if let batchURL = components?.url,
           let response = try? await batchClient.send(HTTPRequestSpec(method: method, url: batchURL, headers: headers.sorted { $0.key < $1.key })),
           response.status == 201, let batch = try? JSONDecoder().decode(Batch.self, from: Data(response.body)), batch.fixtures.count == count {
            return batch.fixtures
        }
        var fixtures: [ProbeFixture] = []
        for _ in 0..<count { fixtures.append(try await next()) }
        return fixtures
    }
}

/// `fixtures.command`: runs the command once per fixture; its stdout is the fixture JSON.
public struct CommandFixtureSource: FixtureSource, FixtureDocuments {
    let command: [String]

    public init(command: [String]) { self.command = command }

    public func next() async throws -> ProbeFixture {
        let (text, source) = try await document()
        return try ProbeFixture.decode(text, source: source)
    }

    public func document() async throws -> (text: String, source: String) {
        (try await CommandRunner.run(command, timeout: 30), "fixtures.command '\(command.joined(separator: " "))'")
    }
}

/// `fixtures.static`: a fixed list, each used once, in order.
public final class StaticFixtureSource: FixtureSource, FixtureDocuments {
    private let fixtures: [String]
    private let index = Mutex(0)

    public init(fixtures: [String]) { self.fixtures = fixtures }

    public func next() async throws -> ProbeFixture {
        let (text, source) = try await document()
        return try ProbeFixture.decode(text, source: source)
    }

    public func document() async throws -> (text: String, source: String) {
        let i = index.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        guard i < fixtures.count else {
            throw FixtureError("fixtures.static is exhausted: all \(fixtures.count) fixtures are used (each probe needs fresh ones; `auditor run --dry-run` shows how many)")
        }
        return (fixtures[i], "fixtures.static[\(i)]")
    }
}
