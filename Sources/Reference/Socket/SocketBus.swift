import Foundation
import Logging
import Synchronization
import Wire

/// Carries the hub's packets between instances on one Redis, as the Socket.IO Redis adapter does
/// (https://socket.io/docs/v4/redis-adapter/): the sending instance delivers to its own
/// connections at once and publishes the packet, stamped with its id, on one channel; every
/// other instance hands it to its connections of that user and skips its own. So delivery is
/// exactly once, and local delivery never waits on Redis. Pub/sub is fire-and-forget: what is
/// published while an instance is not subscribed is lost to it, as with the adapter.
final class SocketBus: Sendable {
    static let channel = "auditor-reference:socket.io"

    /// What travels on the channel: a Socket.IO frame, the user it is for, the instance it came from.
    struct Message: Codable {
        var to: String
        var text: String
        var from: String
    }

    /// This instance, so it skips what it published itself.
    let instance = UUID().uuidString

    private let store: RedisStore
    private let logger: Logger
    /// The subscription opened before the server listens, handed over to `run`.
    private let opened = Mutex<RESPSubscriber?>(nil)

    init(store: RedisStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Subscribes now, so that a reference that says it is ready also hears the other instances.
    /// A failure is no reason not to start (the embedded store served over RESP, which the demo
    /// deploys as its Redis, has no pub/sub): `run` tries again, and says so.
    func subscribeNow() async {
        let subscriber = try? await subscribe()
        opened.withLock { $0 = subscriber }
    }

    /// Publishes `text` for `userId` to the other instances (this one has delivered it already).
    func publish(_ text: String, to userId: String) async {
        do {
            let json = String(decoding: try JSONEncoder().encode(Message(to: userId, text: text, from: instance)), as: UTF8.self)
            try await store.publish(Self.channel, json)
        } catch {
            logger.notice("Socket.IO bus: cannot publish, delivered on this instance only: \(error)")
        }
    }

    /// Hands every message to `deliver` until cancelled. A lost subscription is re-opened forever,
    /// 100 ms after the loss, then doubling to 2 s between failed attempts.
    func run(deliver: @Sendable (_ userId: String, _ text: String) async -> Void) async {
        var subscriber = opened.withLock { opened in defer { opened = nil }; return opened }
        var delay = Duration.milliseconds(100)
        var failing = false
        while !Task.isCancelled {
            guard let current = subscriber else {
                do {
                    subscriber = try await subscribe()
                    logger.notice("Socket.IO bus: subscribed to \(Self.channel)")
                    (delay, failing) = (.milliseconds(100), false)
                } catch {
                    if !failing { logger.notice("Socket.IO bus: cannot subscribe (\(error)); retrying every ≤2 s") }
                    failing = true
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(2))
                }
                continue
            }
            for await json in current.messages {
                guard let message = try? JSONDecoder().decode(Message.self, from: Data(json.utf8)), message.from != instance else { continue }
                await deliver(message.to, message.text)
            }
            current.close()
            subscriber = nil
            guard !Task.isCancelled else { break }
            logger.notice("Socket.IO bus: subscription lost; messages published meanwhile are not delivered here")
            try? await Task.sleep(for: delay)
        }
        subscriber?.close()
    }

    private func subscribe() async throws -> RESPSubscriber {
        let settings = store.subscriberSettings
        return try await RESPSubscriber.subscribe(to: settings.url, tls: settings.tls, channel: Self.channel, timeout: settings.timeout)
    }
}
