import Synchronization

/// Says "ready" once, when every listener of a reference is up: the HTTP/1.1 one, and the HTTP/2
/// one when it has one (each reports its port as it starts; the order is not known).
final class ListenerReadiness: Sendable {
    private let ports = Mutex<(http1: Int?, http2: Int?, said: Bool)>((nil, nil, false))
    private let wantsHTTP2: Bool
    private let ready: @Sendable (_ http1: Int, _ http2: Int?) -> Void

    init(wantsHTTP2: Bool, ready: @escaping @Sendable (_ http1: Int, _ http2: Int?) -> Void) {
        self.wantsHTTP2 = wantsHTTP2
        self.ready = ready
    }

    func listening(http1: Int? = nil, http2: Int? = nil) {
        let both = ports.withLock { ports -> (Int, Int?)? in
            if let http1 { ports.http1 = http1 }
            if let http2 { ports.http2 = http2 }
            guard !ports.said, let one = ports.http1, !wantsHTTP2 || ports.http2 != nil else { return nil }
            ports.said = true
            return (one, ports.http2)
        }
        if let (one, two) = both { ready(one, two) }
    }
}
