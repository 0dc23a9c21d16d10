import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix
import Synchronization
import Wire

/// The single-packet race (Kettle, "Smashing the state machine", 2023; Turbo Intruder's
/// Engine.BURP2): one HTTP/2 connection, N streams. Every request is written but its final DATA
/// frame; a PING's ACK says the server has read all of that; then the N final frames leave in one
/// write — one TCP segment while they fit (about 140 over h2c) — so the release is no longer a
/// loop of N writes. `http://` speaks h2c with prior knowledge; `https://` offers `h2` and
/// `http/1.1` by ALPN (offered `h2` alone, a server without HTTP/2 aborts the handshake, nginx
/// does) and refuses (`H2ClientError.notNegotiated`) when the server picks anything but `h2`.
public struct SinglePacketSender: Sendable {
    public var timeout: TimeAmount = .seconds(10)
    /// For `https://`: the audit's trust and identity; ALPN `h2` is added here.
    public var tls: TLSClient?

    public init(tls: TLSClient? = nil) { self.tls = tls }

    public func send(_ requests: [HTTPRequestSpec]) async throws -> [HTTPResponseData] {
        guard let first = requests.first else { return [] }
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        // The handler lives on the loop; every use runs there.
        let bound = try await loop.submit { NIOLoopBound(H2FrameClient(loop: loop), eventLoop: loop) }.get()
        let released = Mutex(false)
        do {
            return try await send(requests, first: first, on: loop, client: bound, released: released)
        } catch {
            try? await loop.submit { bound.value.abandon(error) }.get()
            throw released.withLock { $0 } ? error : SinglePacketNotSent(reason: error)
        }
    }

    private func send(_ requests: [HTTPRequestSpec], first: HTTPRequestSpec, on loop: EventLoop,
                      client bound: NIOLoopBound<H2FrameClient>, released: borrowing Mutex<Bool>) async throws -> [HTTPResponseData] {
        let secure = first.url.scheme == "https"
        let endpoint = try Endpoint(first.url, tls: secure ? try (tls ?? .systemDefault).offering(["h2", "http/1.1"]) : nil)
        @Sendable func addHTTP2(_ pipeline: ChannelPipeline.SynchronousOperations) throws {
            let settings = [HTTP2Setting(parameter: .enablePush, value: 0),
                            HTTP2Setting(parameter: .initialWindowSize, value: (1 << 31) - 1)]
            try pipeline.addHandler(NIOHTTP2Handler(mode: .client, initialSettings: settings))
            try pipeline.addHandler(bound.value)
        }
        // h2c: HTTP/2 from the first byte. TLS: only once the server chose `h2` (a preface must
        // never reach an HTTP/1.1 server), added in the handshake's own pass.
        let recorder = try await loop.submit { NIOLoopBound(ALPNRecorder(onH2: addHTTP2), eventLoop: loop) }.get()
        let channel = try await Connector.connect(endpoint, timeout: timeout, group: loop) { channel in
            if secure { try channel.pipeline.syncOperations.addHandler(recorder.value) } else { try addHTTP2(channel.pipeline.syncOperations) }
        }
        defer { channel.close(promise: nil) }
        if secure {
            let chosen = try await loop.submit { recorder.value.chosen }.get()
            guard chosen == "h2" else { throw H2ClientError.notNegotiated(chosen) }
        }
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
        released.withLock { $0 = true }
        try await loop.submit { bound.value.release(finals) }.get()
        var responses: [HTTPResponseData] = []
        for answer in answers { responses.append(try await bounded(answer)) }
        return responses
    }
}

/// The burst failed before its final frames left: no request of it can have been acted on (a
/// server acts on a request once it is complete), so another sender may race the same fixture.
public struct SinglePacketNotSent: Error, CustomStringConvertible {
    public var reason: any Error
    public var description: String { "\(reason)" }
}
