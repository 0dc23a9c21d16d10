import NIOCore
import NIOPosix

public enum RESPConnectionError: Error, Equatable, CustomStringConvertible {
    case closed
    case timedOut
    case serverError(String)
    case badURL(String)

    public var description: String {
        switch self {
        case .closed: return "connection to the store closed"
        case .timedOut: return "the store did not answer in time"
        case .serverError(let message): return "the store answered an error: \(message)"
        case .badURL(let why): return "bad Redis URL: \(why)"
        }
    }
}

/// One pipelined connection to a RESP server (Redis or the reference's embedded store).
///
/// Every command has a deadline: a store that accepts but never answers must become an error
/// the caller can turn into 503, never a hung request. After a timeout the connection is closed,
/// because a late reply would otherwise be paired with the next command.
public final class RESPConnection: Sendable {
    private let channel: Channel
    public let timeout: TimeAmount

    private init(channel: Channel, timeout: TimeAmount) {
        self.channel = channel
        self.timeout = timeout
    }

    /// Connects, then authenticates and selects the database the URL names. A `rediss://` URL
    /// runs over TLS with `tls` (nil: the system's CAs). `pushes`: see `RESPClientHandler`.
    public static func connect(
        to url: RedisURL,
        tls: TLSClient? = nil,
        timeout: TimeAmount = .seconds(1),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        pushes: (@Sendable (RESPValue?) -> Bool)? = nil
    ) async throws -> RESPConnection {
        let channel = try await Connector.connect(host: url.host, port: url.port, tls: url.usesTLS ? (tls ?? .systemDefault) : nil,
                                                  timeout: timeout, group: group) { channel in
            try channel.pipeline.syncOperations.addHandler(RESPClientHandler(pushes: pushes))
        }
        let connection = RESPConnection(channel: channel, timeout: timeout)
        do {
            if let password = url.password {
                let auth = url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password]
                _ = try await connection.checked(auth)
            }
            if url.database != 0 {
                _ = try await connection.checked(["SELECT", String(url.database)])
            }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    public var isActive: Bool { channel.isActive }

    /// Sends one command and waits for its reply (which may be a RESP error value).
    public func send(_ words: [String]) async throws -> RESPValue {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let timeout = self.timeout
        let channel = self.channel
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(RESPConnectionError.timedOut)
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in deadline.cancel() }
        channel.writeAndFlush((RESPValue.command(words), promise)).whenFailure { promise.fail($0) }
        return try await promise.futureResult.get()
    }

    /// Like `send`, but a RESP error reply becomes a thrown `serverError`.
    @discardableResult
    public func checked(_ words: [String]) async throws -> RESPValue {
        let reply = try await send(words)
        if case .error(let message) = reply { throw RESPConnectionError.serverError(message) }
        return reply
    }

    public func close() {
        channel.close(promise: nil)
    }
}
