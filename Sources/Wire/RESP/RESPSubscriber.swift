import NIOCore
import NIOPosix

/// One connection in subscribe mode (https://redis.io/docs/latest/develop/interact/pubsub/):
/// the payloads published on one channel, as a stream that ends when the connection does.
///
/// A connection in subscribe mode accepts no other command: publishing goes over an ordinary one. Pub/sub is fire-and-forget: what is published while no
/// subscriber is connected is lost, so a caller that must keep listening re-subscribes itself.
public final class RESPSubscriber: Sendable {
    private let connection: RESPConnection
    /// The payloads of the `message` pushes for the channel; finishes when the connection closes.
    public let messages: AsyncStream<String>

    private init(connection: RESPConnection, messages: AsyncStream<String>) {
        self.connection = connection
        self.messages = messages
    }

    /// Connects as `RESPConnection` does (TLS for `rediss://`, AUTH when the URL has credentials)
    /// and returns once Redis confirmed `SUBSCRIBE channel` within `timeout`. From then on the
    /// connection's `message` pushes for the channel go to `messages`, replies to commands as ever.
    public static func subscribe(
        to url: RedisURL,
        tls: TLSClient? = nil,
        channel name: String,
        timeout: TimeAmount = .seconds(1),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RESPSubscriber {
        let (messages, continuation) = AsyncStream.makeStream(of: String.self)
        let connection: RESPConnection
        do {
            connection = try await RESPConnection.connect(to: url, tls: tls, timeout: timeout, group: group) { value in
                guard let value else {
                    continuation.finish()
                    return true
                }
                guard let payload = payload(of: value, on: name) else { return false }
                continuation.yield(payload)
                return true
            }
        } catch {
            continuation.finish()
            throw error
        }
        // A reader that stops listening (its task cancelled) needs the connection no more.
        continuation.onTermination = { _ in connection.close() }
        do {
            let reply = try await connection.checked(["SUBSCRIBE", name])
            guard case .array(let items?) = reply, items.count == 3, items[0].string == "subscribe", items[1].string == name else {
                throw RESPConnectionError.serverError("unexpected answer to SUBSCRIBE: \(reply)")
            }
        } catch {
            connection.close()
            throw error
        }
        return RESPSubscriber(connection: connection, messages: messages)
    }

    /// Closes the connection; `messages` then finishes.
    public func close() {
        connection.close()
    }

    /// `["message", channel, payload]`, the RESP2 form of a published message.
    static func payload(of value: RESPValue, on channel: String) -> String? {
        guard case .array(let items?) = value, items.count == 3, items[0].string == "message", items[1].string == channel else { return nil }
        return items[2].string
    }
}
