import Wire

/// The embedded store's answers to the read commands a Redis inspector sends, so the auditor can
/// read `redisURL` of the embedded reference exactly as it reads a production Redis.
/// Writes are refused: the only writer is the reference itself, in process.
extension EmbeddedStore {
    static let readOnlyError = RESPValue.error("READONLY the reference's embedded store answers read commands only (PING TTL PTTL EXISTS TYPE GET HGETALL SCAN KEYS DBSIZE)")

    static let writeCommands: Set<String> = [
        "SET", "SETEX", "PSETEX", "SETNX", "DEL", "UNLINK", "EXPIRE", "PEXPIRE", "EXPIREAT", "PERSIST",
        "HSET", "HMSET", "HDEL", "INCR", "DECR", "INCRBY", "APPEND", "RENAME", "FLUSHALL", "FLUSHDB",
        "MSET", "GETDEL", "GETSET", "LPUSH", "RPUSH", "SADD", "ZADD", "COPY", "RESTORE", "MOVE",
    ]

    /// Answers one command; `words[0]` is the command name in any case. Writes are refused unless
    /// `allowWrites` (the demo's stand-in Redis, which reference instances share through a proxy).
    public func answer(_ words: [String], allowWrites: Bool = false) -> RESPValue {
        guard let name = words.first?.uppercased() else { return .error("ERR empty command") }
        let args = Array(words.dropFirst())
        if Self.writeCommands.contains(name) {
            return allowWrites ? answerWrite(name, args) : Self.readOnlyError
        }
        return read { lookup, allKeys in
            switch name {
            case "PING":
                return args.first.map { .bulk($0) } ?? .simpleString("PONG")
            case "ECHO" where args.count == 1:
                return .bulk(args[0])
            case "GET" where args.count == 1:
                guard let entry = lookup(args[0]) else { return .bulkString(nil) }
                return entry.hash == nil ? .bulk(entry.value) : .error(Self.wrongType)
            case "EXISTS" where !args.isEmpty:
                return .integer(args.filter { lookup($0) != nil }.count)
            case "TYPE" where args.count == 1:
                guard let entry = lookup(args[0]) else { return .simpleString("none") }
                return .simpleString(entry.hash == nil ? "string" : "hash")
            case "TTL" where args.count == 1, "PTTL" where args.count == 1:
                guard let entry = lookup(args[0]) else { return .integer(-2) }
                guard let remaining = entry.remaining else { return .integer(-1) }
                let ms = Int(remaining.inMilliseconds)
                // Redis rounds TTL to the nearest second (ttl.c: (ttl+500)/1000).
                return .integer(name == "PTTL" ? ms : (ms + 500) / 1000)
            case "HGETALL" where args.count == 1:
                guard let entry = lookup(args[0]) else { return .array([]) }
                guard let hash = entry.hash else { return .error(Self.wrongType) }
                return .array(hash.sorted { $0.key < $1.key }.flatMap { [RESPValue.bulk($0.key), .bulk($0.value)] })
            case "KEYS" where args.count == 1:
                let glob = GlobPattern(args[0])
                return .array(allKeys().filter(glob.matches).sorted().map { .bulk($0) })
            case "SCAN" where !args.isEmpty:
                return Self.scan(args, keys: allKeys())
            case "DBSIZE":
                return .integer(allKeys().count)
            case "SELECT" where args.count == 1:
                return args[0] == "0" ? .simpleString("OK") : .error("ERR DB index is out of range")
            case "AUTH":
                return .error("ERR AUTH <password> called without any password configured for the default user")
            case "QUIT":
                return .simpleString("OK")
            case "GET", "EXISTS", "TYPE", "TTL", "PTTL", "HGETALL", "KEYS", "SCAN", "SELECT", "ECHO":
                return .error("ERR wrong number of arguments for '\(name.lowercased())' command")
            default:
                return .error("ERR unknown command '\(words[0])'")
            }
        }
    }

    /// The writes `RedisStore` sends: `SET key value [EX s|PX ms] [NX] [KEEPTTL]`, `DEL key…`,
    /// `HSET key field value…` and `EXPIRE key s`.
    private func answerWrite(_ name: String, _ args: [String]) -> RESPValue {
        switch name {
        case "HSET" where args.count >= 3 && args.count % 2 == 1:
            var fields: [String: String] = [:]
            for i in stride(from: 1, to: args.count, by: 2) { fields[args[i]] = args[i + 1] }
            writeHash(args[0], fields, ttl: nil)
            return .integer(fields.count)
        case "EXPIRE" where args.count == 2:
            guard let s = Int(args[1]), s > 0 else { return .error("ERR value is not an integer or out of range") }
            return .integer(expire(args[0], after: .seconds(s)) ? 1 : 0)
        case "SET" where args.count >= 2 && args.count == 3 && args[2].uppercased() == "KEEPTTL":
            return keepTTLWrite(args[0], args[1])
        case "SET" where args.count >= 2:
            var ttl: Duration?
            var onlyIfAbsent = false
            var i = 2
            while i < args.count {
                switch args[i].uppercased() {
                case "EX" where i + 1 < args.count:
                    guard let s = Int(args[i + 1]), s > 0 else { return .error("ERR invalid expire time in 'set' command") }
                    ttl = .seconds(s); i += 2
                case "PX" where i + 1 < args.count:
                    guard let ms = Int(args[i + 1]), ms > 0 else { return .error("ERR invalid expire time in 'set' command") }
                    ttl = .milliseconds(ms); i += 2
                case "NX": onlyIfAbsent = true; i += 1
                default: return .error("ERR syntax error")
                }
            }
            return write(args[0], args[1], ttl: ttl, onlyIfAbsent: onlyIfAbsent) ? .simpleString("OK") : .bulkString(nil)
        case "DEL" where !args.isEmpty:
            return .integer(remove(args))
        default:
            return .error("ERR the embedded store supports SET, DEL, HSET and EXPIRE among writes")
        }
    }

    /// `SCAN cursor [MATCH pattern] [COUNT n]`: one pass returns every match with cursor 0,
    /// which the SCAN contract allows (a full iteration may take a single call).
    private static func scan(_ args: [String], keys: [String]) -> RESPValue {
        guard args[0] == "0" || Int(args[0]) != nil else { return .error("ERR invalid cursor") }
        var glob: GlobPattern?
        var i = 1
        while i < args.count {
            switch args[i].uppercased() {
            case "MATCH" where i + 1 < args.count: glob = GlobPattern(args[i + 1]); i += 2
            case "COUNT" where i + 1 < args.count, "TYPE" where i + 1 < args.count: i += 2
            default: return .error("ERR syntax error")
            }
        }
        let matched = keys.filter { glob?.matches($0) ?? true }.sorted()
        return .array([.bulk("0"), .array(matched.map { .bulk($0) })])
    }
}
