import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix
import Wire

/// The single-packet race (Kettle, "Smashing the state machine", 2023; Turbo Intruder's
/// Engine.BURP2): one HTTP/2 connection, N streams. Every request is written but its final DATA
/// frame; a PING's ACK says the server has read all of that; then the N final frames leave in one
/// write — one TCP segment while they fit (about 140 over h2c) — so the release is no longer a
/// loop of N writes. This first step speaks h2c with prior knowledge (`http://`); TLS with ALPN
/// `h2` comes next.
public struct SinglePacketSender: Sendable {
    public var timeout: TimeAmount = .seconds(10)

    public init() {}

    public func send(_ requests: [HTTPRequestSpec]) async throws -> [HTTPResponseData] {
        guard let first = requests.first else { return [] }
        let endpoint = try Endpoint(first.url, tls: nil)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        // The handler lives on the loop; every use below runs there.
        let bound = try await loop.submit { NIOLoopBound(H2FrameClient(loop: loop), eventLoop: loop) }.get()
        let channel = try await Connector.connect(endpoint, timeout: timeout, group: loop) { channel in
            let settings = [HTTP2Setting(parameter: .enablePush, value: 0),
                            HTTP2Setting(parameter: .initialWindowSize, value: (1 << 31) - 1)]
            try channel.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .client, initialSettings: settings))
            try channel.pipeline.syncOperations.addHandler(bound.value)
        }
        defer { channel.close(promise: nil) }
        let timeout = self.timeout
        func bounded<T: Sendable>(_ future: EventLoopFuture<T>) async throws -> T {
            let deadline = loop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            defer { deadline.cancel() }
            return try await future.get()
        }
        let peer = try await bounded(try await loop.submit { bound.value.peerSettings.futureResult }.get())
        let allowed = peer.first { $0.parameter == .maxConcurrentStreams }.map(\.value) ?? 100
        guard requests.count + 1 <= allowed else { throw H2ClientError.tooManyStreams(requests.count, allowed: allowed) }
        // Responses are never held back by our receive window: nobody sends WINDOW_UPDATE in frame mode.
        try await loop.submit { bound.value.release([HTTP2Frame(streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: (1 << 31) - 1 - 65_535))]) }.get()

        // Warm-up: one whole request (SETTINGS exchanged, HPACK primed, the server past lazy set-up).
        let root = HTTPRequestSpec(method: "GET", url: URL(string: "/", relativeTo: first.url)?.absoluteURL ?? first.url, headers: first.headers.filter { $0.0.lowercased() == "host" })
        let warm = try await loop.submit { () -> EventLoopFuture<HTTPResponseData> in
            let answer = loop.makePromise(of: HTTPResponseData.self)
            let final = bound.value.prepare(root, answer: answer, written: loop.makePromise())
            bound.value.release([final])
            return answer.futureResult
        }.get()
        _ = try await bounded(warm)

        // Pre-send every request but its final frame, then wait until the server has read it all.
        let (answers, finals, written) = try await loop.submit { () -> ([EventLoopFuture<HTTPResponseData>], [HTTP2Frame], [EventLoopFuture<Void>]) in
            var answers: [EventLoopFuture<HTTPResponseData>] = [], finals: [HTTP2Frame] = [], written: [EventLoopFuture<Void>] = []
            for request in requests {
                let answer = loop.makePromise(of: HTTPResponseData.self)
                let wrote = loop.makePromise(of: Void.self)
                finals.append(bound.value.prepare(request, answer: answer, written: wrote))
                answers.append(answer.futureResult)
                written.append(wrote.futureResult)
            }
            bound.value.flush()
            return (answers, finals, written)
        }.get()
        for future in written { try await bounded(future) }
        let pong = try await loop.submit { () -> EventLoopFuture<Void> in
            let promise = loop.makePromise(of: Void.self)
            bound.value.ping(promise)
            return promise.futureResult
        }.get()
        try await bounded(pong)
        try await loop.submit { bound.value.release(finals) }.get()
        var responses: [HTTPResponseData] = []
        for answer in answers { responses.append(try await bounded(answer)) }
        return responses
    }
}
