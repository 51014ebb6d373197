import ArgumentParser
import Foundation
import GridConsole

/// What every client command shares: where the node is, the token, and how a failure is
/// reported (one line on standard error, then a non-zero exit).
struct AttachOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A node's HTTP address.", valueName: "HOST:PORT"))
    var attach: String

    /// The node to talk to.
    func endpoint() throws -> GridEndpoint {
        guard let endpoint = GridEndpoint(attach) else {
            throw ValidationError("--attach must be HOST:PORT, not '\(attach)'")
        }
        return endpoint
    }

    func validate() throws { _ = try endpoint() }
}

enum CommandLineOutput {
    /// Prints `gossipgrid: MESSAGE` on standard error and returns the exit code to throw.
    static func failure(_ message: String, code: Int32 = 1) -> ExitCode {
        let line = "gossipgrid: " + message.replacingOccurrences(of: "\n", with: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
        return ExitCode(code)
    }

    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}

extension GridHTTPClient {
    /// Runs a client command's requests on a client of its own (shut down afterwards);
    /// requests wait for replication and forwarding, so they get longer than the console's
    /// polls. Any failure of `body` becomes one line on standard error and exit status 1.
    static func commandLine(
        token: String? = nil, _ body: (GridHTTPClient) async throws(GridHTTPError) -> Void
    ) async throws {
        try await GridHTTPClient.with(token: token, timeout: .seconds(15)) { client in
            do {
                try await body(client)
            } catch {
                throw CommandLineOutput.failure("\(error)")
            }
        }
    }
}
