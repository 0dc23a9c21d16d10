/// One forbidden shape found in source: where, which shape, and the line as written.
public struct SourceFinding: Sendable, Equatable, Codable {
    public var file: String
    public var line: Int
    public var column: Int
    /// e.g. "socket.on('trainerLocation')", "socket.sendTrainerLocation(…)", "activeTravelSessions map".
    public var shape: String
    public var text: String

    public init(file: String, line: Int, column: Int, shape: String, text: String) {
        self.file = file
        self.line = line
        self.column = column
        self.shape = shape
        self.text = text
    }
}

