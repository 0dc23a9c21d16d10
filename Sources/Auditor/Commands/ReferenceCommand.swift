import ArgumentParser

struct ReferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "The built-in reference implementation of the contract (the oracle).",
        subcommands: [ReferenceServeCommand.self]
    )
}
