import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `gossipgrid node` processes of one run: started, killed, paused, resumed,
/// terminated and restarted on their own hosts, with their data directories.
actor NodeFleet {
    struct Member {
        var process: Process?
        var gossip: String
        var http: String
        var dataDirectory: String
        var paused = false
        var log: String
    }

    let executable: String
    let network: TestNetwork
    let directory: URL
    let cluster: String
    let nodeArguments: [String]
    private(set) var members: [Int: Member] = [:]
    private var incarnations = 0

    init(executable: String, network: TestNetwork, directory: URL, cluster: String, nodeArguments: [String]) {
        self.executable = executable
        self.network = network
        self.directory = directory
        self.cluster = cluster
        self.nodeArguments = nodeArguments
    }

    var running: [Int] { members.filter { $0.value.process?.isRunning == true }.keys.sorted() }
    var responsive: [Int] { members.filter { $0.value.process?.isRunning == true && !$0.value.paused }.keys.sorted() }
    var stopped: [Int] { members.filter { $0.value.process?.isRunning != true }.keys.sorted() }
    func httpAddress(of host: Int) -> String? { members[host]?.http }
    var httpAddresses: [Int: String] { members.mapValues(\.http) }

    /// Starts host `host` (again, on its own addresses and data, when it ran before) and
    /// returns once it printed the ports it bound. `fresh` gives it a new data directory.
    func start(_ host: Int, seed: Int?, fresh: Bool = false) async throws {
        incarnations += 1
        let address = network.address(of: host)
        let ports = network.kind == .namespaces ? (gossip: "7000", http: "8000") : (gossip: "0", http: "0")
        let previous = fresh ? nil : members[host]
        let gossip = previous?.gossip ?? "\(address):\(ports.gossip)"
        let http = previous?.http ?? "\(address):\(ports.http)"
        let data = previous?.dataDirectory ?? directory.appendingPathComponent("n\(host)-\(incarnations)").path
        var arguments = [
            executable, "node", "--cluster", cluster, "--gossip", gossip, "--http", http, "--data-dir", data,
        ]
        if let seed, let seedAddress = members[seed]?.gossip { arguments += ["--seed", seedAddress] }
        arguments += nodeArguments
        let output = directory.appendingPathComponent("n\(host)-\(incarnations).out").path
        let log = directory.appendingPathComponent("n\(host).log").path
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        if !FileManager.default.fileExists(atPath: log) {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = network.command(on: host, arguments)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        let logHandle = FileHandle(forWritingAtPath: log)
        logHandle?.seekToEndOfFile()
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        members[host] = Member(process: process, gossip: gossip, http: http, dataDirectory: data, log: log)

        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline, process.isRunning {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first {
                let fields = Dictionary(
                    line.split(separator: " ").compactMap { field -> (String, String)? in
                        let parts = field.split(separator: "=", maxSplits: 1)
                        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
                    }, uniquingKeysWith: { first, _ in first })
                members[host]?.gossip = fields["gossip"] ?? gossip
                members[host]?.http = fields["http"] ?? http
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        signal(host, SIGKILL)
        throw NemesisError.nodeDidNotStart(host: host, log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    func kill(_ host: Int) async {
        signal(host, SIGKILL)
        await waitForExit(host, timeout: .seconds(10))
    }

    func pause(_ host: Int) {
        signal(host, SIGSTOP)
        members[host]?.paused = true
    }

    func resume(_ host: Int) {
        signal(host, SIGCONT)
        members[host]?.paused = false
    }

    /// SIGTERM, as an operator stops a node; SIGKILL if it has not gone after `timeout`.
    func terminate(_ host: Int, timeout: Duration = .seconds(20)) async {
        signal(host, SIGTERM)
        if !(await waitForExit(host, timeout: timeout)) { await kill(host) }
    }

    /// Waits until the host's process has gone, for at most `timeout`.
    @discardableResult
    func waitForExit(_ host: Int, timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while members[host]?.process?.isRunning == true {
            guard clock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    func stopAll() async {
        for host in members.keys {
            signal(host, SIGCONT)
            await kill(host)
        }
    }

    private func signal(_ host: Int, _ number: Int32) {
        guard let process = members[host]?.process, process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, number)
    }
}
