import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One tmux server on its own socket, for driving the real console as a person would.
struct TmuxSession {
    let tmux: String
    let socket = "gg-test-\(getpid())"
    let name = "console"

    @discardableResult
    func command(_ arguments: [String]) async throws -> Live.Output {
        try await Live.run(tmux, ["-L", socket] + arguments, timeout: .seconds(30))
    }

    /// The visible screen as text.
    func capture() async -> String {
        (try? await command(["capture-pane", "-p", "-t", name]).standardOutput) ?? ""
    }

    /// Sends keys as tmux names them (`Enter`, `Escape`) or literal text.
    func send(_ keys: String...) async throws {
        try await command(["send-keys", "-t", name] + keys)
    }

    func send(contentsOf keys: [String]) async throws {
        try await command(["send-keys", "-t", name] + keys)
    }

    func type(_ text: String) async throws {
        try await command(["send-keys", "-t", name, "-l", text])
    }

    /// Polls the screen until `condition` holds; returns the last screen seen.
    func waitFor(
        timeout: Duration = .seconds(60), _ what: String, _ condition: (String) -> Bool
    ) async -> (held: Bool, screen: String) {
        var screen = ""
        let held = await eventually(timeout: timeout, interval: .milliseconds(50)) {
            screen = await capture()
            return condition(screen)
        }
        if !held { Issue.record("timed out waiting for \(what); the screen was:\n\(screen)") }
        return (held, screen)
    }

    func waitFor(_ text: String, timeout: Duration = .seconds(60)) async -> (held: Bool, screen: String) {
        await waitFor(timeout: timeout, "'\(text)'") { $0.contains(text) }
    }

    /// The server's process id, to make sure it is gone at the end.
    func serverProcess() async -> pid_t? {
        let output = try? await command(["display-message", "-p", "-t", name, "#{pid}"])
        return output.flatMap { pid_t($0.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Ends the server and everything in it; SIGKILL if it has not gone within 10 s.
    func killServer(_ server: pid_t?) async {
        _ = try? await command(["kill-server"])
        guard let server else { return }
        let gone = await eventually(timeout: .seconds(10), interval: .milliseconds(50)) {
            !Self.isAlive(server)
        }
        if !gone { kill(server, SIGKILL) }
        // A server that did not exit cleanly leaves its socket behind.
        let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(directory)/tmux-\(getuid())/\(socket)")
    }

    /// Running, as opposed to exited (a zombie nobody reaped counts as exited).
    static func isAlive(_ process: pid_t) -> Bool {
        guard kill(process, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }
}

extension LiveClusterTests.ConsoleEndToEndTests {
    /// The partition and new leader a kill confirmation names: "old leader of p12 (moving to 3fa2b1c0)".
    static func moving(in screen: String) -> (partition: Int, newLeader: String)? {
        guard
            let range = screen.range(of: "old leader of p[0-9]+ \\(moving to [0-9a-f]+\\)", options: .regularExpression)
        else { return nil }
        let words = screen[range].split(whereSeparator: { " ()".contains($0) })
        guard words.count == 7, let partition = Int(words[3].dropFirst()) else { return nil }
        return (partition, String(words[6]))
    }
}

extension LiveClusterTests {
    /// The real `gossipgrid console` in a real terminal (tmux): the embedded cluster forms, a
    /// resize runs a handshake, a second resize is refused, killing the old leader of a
    /// moving partition still lets it open under the new leader, and `q` gives the shell back.
    @Suite("Console end to end")
    struct ConsoleEndToEndTests {
        @Test(
            "resize, refused resize and killing the old leader in a real terminal",
            .enabled(if: Live.which("tmux") != nil, "tmux is not installed (.ci/run installs it)"))
        func consoleInTmux() async throws {
            let gossipgrid = try #require(Live.executable, "build the gossipgrid product first")
            let tmux = try #require(Live.which("tmux"))
            let session = TmuxSession(tmux: tmux)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gg-e2e-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let log = directory.appendingPathComponent("console.log").path

            // A plain shell first, so that after `q` the test can check the terminal still works.
            try await session.command([
                "-f", "/dev/null", "new-session", "-d", "-s", session.name, "-x", "160", "-y", "50",
                "-c", directory.path, "-e", "PS1=$ ", "/bin/sh",
            ])
            let server = await session.serverProcess()
            #expect(server != nil, "no tmux server")
            let completed: Bool
            do {
                completed = try await drive(session, gossipgrid: gossipgrid, log: log)
            } catch {
                await session.killServer(server)
                throw error
            }
            await session.killServer(server)
            if completed {
                try? FileManager.default.removeItem(at: directory)
            } else {
                Issue.record("the embedded nodes' log is kept in \(log)")
            }
        }

        @Test(
            "Ctrl-C and SIGTERM stop the console and give the shell back a working terminal",
            .enabled(if: Live.which("tmux") != nil, "tmux is not installed (.ci/run installs it)"),
            arguments: ["Ctrl-C", "SIGTERM"])
        func signalRestoresTheTerminal(signal: String) async throws {
            let gossipgrid = try #require(Live.executable, "build the gossipgrid product first")
            let session = TmuxSession(tmux: try #require(Live.which("tmux")))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gg-sig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let log = directory.appendingPathComponent("console.log").path
            try await session.command([
                "-f", "/dev/null", "new-session", "-d", "-s", session.name, "-x", "120", "-y", "40",
                "-c", directory.path, "-e", "PS1=$ ", "/bin/sh",
            ])
            let server = await session.serverProcess()
            do {
                try await session.type("'\(gossipgrid)' console --log-file '\(log)'; echo \"GG-EXIT=$?\"")
                try await session.send("Enter")
                guard await session.waitFor("3 of 3 nodes up", timeout: .seconds(90)).held else {
                    await session.killServer(server)
                    return
                }
                let expected: String
                if signal == "Ctrl-C" {
                    try await session.send("C-c")
                    expected = "GG-EXIT=130"
                } else {
                    let pid = try #require(Self.process(withArguments: ["console", "--log-file", log]))
                    kill(pid, SIGTERM)
                    expected = "GG-EXIT=143"
                }
                let exited = await session.waitFor(expected, timeout: .seconds(30))
                #expect(exited.held)
                #expect(!exited.screen.contains("HANDSHAKE") && !exited.screen.contains("Nodes ("), "screen left over")
                try await session.type("echo usable-$((40+2))")
                try await session.send("Enter")
                #expect(await session.waitFor("usable-42").held)
            } catch {
                await session.killServer(server)
                throw error
            }
            await session.killServer(server)
        }

        /// The process whose command line ends with `arguments` (read from /proc, since a
        /// fresh machine may lack pgrep).
        static func process(withArguments arguments: [String]) -> pid_t? {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            for entry in entries {
                guard let pid = pid_t(entry),
                    let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                else { continue }
                let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if words.count > arguments.count && Array(words.suffix(arguments.count)) == arguments { return pid }
            }
            return nil
        }

        /// Returns whether every step was reached; a step that never comes has recorded why.
        private func drive(_ session: TmuxSession, gossipgrid: String, log: String) async throws -> Bool {
            try await session.command(["set-option", "-t", session.name, "status", "off"])
            try await session.type(
                "'\(gossipgrid)' console --ack-delay 1500 --log-file '\(log)'; echo \"GG-EXIT=$?\"")
            try await session.send("Enter")

            guard await session.waitFor("3 of 3 nodes up", timeout: .seconds(90)).held else { return false }
            #expect(await session.capture().contains("embedded"))
            #expect(await session.capture().contains("slowmo 1500ms"))

            // Slower still, so the handshake is still running after the screen shows it, the
            // second resize has been refused and the old leader killed, on a loaded machine.
            try await session.type(":slowmo 15000")
            try await session.send("Enter")
            guard await session.waitFor("every acknowledgment waits 15000 ms").held else { return false }

            try await session.type(":resize 4")
            try await session.send("Enter")
            guard await session.waitFor("Resize the cluster from 3 to 4 slots? (y/n)").held else { return false }
            try await session.type("y")
            let handshake = await session.waitFor("HANDSHAKE IN PROGRESS")
            guard handshake.held else { return false }
            #expect(handshake.screen.contains("🔒") || handshake.screen.contains("#"))

            try await session.type(":resize 5")
            try await session.send("Enter")
            guard await session.waitFor("Resize the cluster from 4 to 5 slots? (y/n)").held else { return false }
            try await session.type("y")
            guard await session.waitFor("Cannot resize: partition leadership handshake in progress").held else {
                return false
            }

            // K: the old leader of a partition in handshake, named in the confirmation.
            try await session.type("K")
            let confirm = await session.waitFor("a confirmation to kill an old leader") { screen in
                screen.contains("as a crash? (y/n)") && Self.moving(in: screen) != nil
            }
            guard confirm.held, let (partition, newLeader) = Self.moving(in: confirm.screen) else { return false }
            try await session.type("y")
            guard await session.waitFor("Killed ").held else { return false }
            // The moving partitions open under the new leader: no handshake, nothing locked.
            let open = await session.waitFor(timeout: .seconds(150), "every partition open after the kill") { screen in
                !screen.contains("HANDSHAKE IN PROGRESS") && screen.contains("all partitions open")
                    && screen.contains("3 of 4 nodes up")
            }
            guard open.held else { return false }
            #expect(!open.screen.contains("Server started"), "a node wrote to the terminal")

            // The partition whose old leader died: select it on the map, its detail names the new leader.
            try await session.send("Tab")
            if partition > 0 { try await session.send(contentsOf: Array(repeating: "Right", count: partition)) }
            let detail = await session.waitFor("p\(partition) led by \(newLeader)") { screen in
                screen.contains("Partition \(partition) ")
                    && screen.range(of: "leader +\(newLeader) ", options: .regularExpression) != nil
            }
            #expect(detail.held)

            try await session.type("q")
            guard await session.waitFor("GG-EXIT=0").held else { return false }
            // The shell reads and echoes a line again: the terminal was restored.
            try await session.type("echo usable-$((40+2))")
            try await session.send("Enter")
            let usable = await session.waitFor("usable-42")
            #expect(usable.held)
            #expect(
                FileManager.default.fileExists(atPath: log), "the embedded nodes' log file was not written")
            return detail.held && usable.held
        }
    }
}
