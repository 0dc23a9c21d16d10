import Foundation
import Probes
import Reference
import Testing
import TestSupport
import Wire

/// The reference's h2c listener: same router and state as its HTTP/1.1 one, an arrival stamp per
/// stream, and no handler before a request's final frame — so the single-packet sender's spread
/// can be read off the answers, next to last-byte sync on HTTP/1.1 (figures: race-bench).
@Suite("Reference over HTTP/2 (h2c and TLS)", .timeLimit(.minutes(1)))
struct SinglePacketReferenceTests {
    static func spreadMicroseconds(_ answers: [HTTPResponseData]) -> Double? {
        let stamps = answers.compactMap { $0.headers.first { $0.0.lowercased() == "x-reference-received-ns" }.flatMap { UInt64($0.1) } }
        guard stamps.count == answers.count, let low = stamps.min(), let high = stamps.max() else { return nil }
        return Double(high - low) / 1000
    }

    @Test("20 polls in one packet: every answer stamped; spread printed next to last-byte sync over HTTP/1.1")
    func stampedAnswers() async throws {
        var configuration = ReferenceConfiguration()
        configuration.http2Port = 0
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        try await withCleanup({ await reference.stop() }) {
            let h2 = try #require(reference.addresses.http2BaseURL.flatMap(URL.init(string:)))
            let path = "api/v1/admin/location-tracking/journey/live"
            var single: [Double] = [], lastByte: [Double] = []
            for _ in 0..<5 {
                let answers = try await SinglePacketSender().send((0..<20).map { _ in HTTPRequestSpec(method: "GET", url: h2.appendingPathComponent(path)) })
                #expect(answers.map(\.status) == Array(repeating: 401, count: 20), "the same router answers over h2c")
                single.append(try #require(Self.spreadMicroseconds(answers), "every answer carries its arrival stamp"))
                let http1 = try await RaceSender().send((0..<20).map { _ in HTTPRequestSpec(method: "GET", url: reference.baseURL.appendingPathComponent(path)) })
                lastByte.append(try #require(Self.spreadMicroseconds(http1)))
            }
            print("arrival spread of 20 (µs), 5 runs: single-packet h2c \(single.sorted().map { Int($0) }), last-byte HTTP/1.1 \(lastByte.sorted().map { Int($0) })")
        }
    }

    @Test("over TLS: ALPN h2 gets the single packet, a client offering only HTTP/1.1 is still served on the same port")
    func overTLS() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        var configuration = ReferenceConfiguration()
        configuration.http2Port = 0
        configuration.http2Certificate = ServerCertificate(certificateFile: certificates.cert("server"), keyFile: certificates.key("server"))
        configuration.logLevel = .critical
        let reference = try await ReferenceServer.start(configuration)
        try await withCleanup({ await reference.stop() }) {
            let base = try #require(reference.addresses.http2BaseURL.flatMap(URL.init(string:)))
            #expect(base.scheme == "https")
            let tls = try TLSClient(caFile: certificates.ca)
            let live = base.appendingPathComponent("api/v1/admin/location-tracking/journey/live")
            let answers = try await SinglePacketSender(tls: tls).send((0..<20).map { _ in HTTPRequestSpec(method: "GET", url: live) })
            #expect(answers.map(\.status) == Array(repeating: 401, count: 20))
            let spread = try #require(Self.spreadMicroseconds(answers), "every answer carries its arrival stamp")
            print("arrival spread of 20 over TLS + ALPN h2: \(Int(spread)) µs")
            let http1 = try await HTTPClient(timeout: .seconds(5), tls: tls).send(HTTPRequestSpec(method: "GET", url: live))
            #expect(http1.status == 401, "HTTP/1.1 over the same TLS port")
        }
    }

    @Test("a certificate that cannot be read is named before anything listens")
    func unreadableCertificate() async throws {
        var configuration = ReferenceConfiguration()
        configuration.http2Port = 0
        configuration.http2Certificate = ServerCertificate(certificateFile: "/nonexistent/server.crt", keyFile: "/nonexistent/server.key")
        configuration.logLevel = .critical
        let error = await #expect(throws: ReferenceError.self) { try await ReferenceServer.start(configuration) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("/nonexistent/server.crt"))
    }
}
