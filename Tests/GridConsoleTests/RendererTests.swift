import GridConsole
import GridCore
import Testing

@Suite("Renderer")
struct RendererTests {
    /// The top-left cell of a partition in the map (no scrolling in these fixtures).
    func cellOrigin(of partition: Int, in state: ConsoleState) -> GridPoint {
        let layout = state.layout
        return GridPoint(
            x: layout.map.x + 1 + (partition % layout.mapColumns) * layout.mapCellWidth,
            y: layout.map.y + 1 + partition / layout.mapColumns)
    }

    func row(_ grid: CellGrid, containing text: String) -> String? {
        grid.lines.first { $0.contains(text) }
    }

    /// The node table's row for a node: the table's columns only, so the map beside it
    /// (which names nodes too) cannot match.
    func nodeRow(_ grid: CellGrid, _ state: ConsoleState, id: String) -> (text: String, y: Int)? {
        let table = state.layout.nodes
        for y in table.y..<table.maxY {
            let text = String(grid.text(row: y).prefix(table.width))
            if text.contains(TextFormatting.shortID(id)) { return (text, y) }
        }
        return nil
    }

    @Test(
        "a running handshake shows the banner, lock glyphs, phase and locked ranges", arguments: [(160, 50), (100, 30)])
    func handshakeScreen(size: (Int, Int)) throws {
        let state = Fixtures.state(width: size.0, height: size.1)
        let grid = Renderer.render(state)

        let banner = try #require(grid.locate("HANDSHAKE IN PROGRESS"))
        #expect(banner.y == 1)
        #expect(grid[banner.x, banner.y].role == .banner)
        #expect(grid.text(row: 1).contains("4 partitions moving, locked: 3,7-9"))

        let p3 = cellOrigin(of: 3, in: state)
        #expect(grid[p3.x, p3.y].scalar == "🔒")
        #expect(grid[p3.x + 1, p3.y].isContinuation)
        #expect(grid[p3.x, p3.y].role == .acknowledged)
        let p7 = cellOrigin(of: 7, in: state)
        #expect(grid[p7.x, p7.y].scalar == "🔒")
        #expect(grid[p7.x, p7.y].role == .lock)

        #expect(grid.locate("p3 acknowledged 1 of 2") != nil)
        #expect(grid.locate("p7 acknowledged 0 of 2") != nil)

        let newLeaderRow = try #require(nodeRow(grid, state, id: Fixtures.n2)).text
        #expect(newLeaderRow.contains("e5e5e5e5 UP"))
        #expect(newLeaderRow.contains(" 3,7-9 "))
        #expect(nodeRow(grid, state, id: Fixtures.n0)?.text.contains("a1a1a1a1 UP") == true)
        #expect(nodeRow(grid, state, id: Fixtures.n0)?.text.contains(" 8 ") == true)
    }

    @Test("open partitions are coloured and numbered by their leader's slot")
    func leaderColours() {
        let state = Fixtures.state()
        let grid = Renderer.render(state)
        for partition in [0, 1, 2, 5, 10] {
            let origin = cellOrigin(of: partition, in: state)
            let slot = partition % 2
            let last = origin.x + state.layout.mapCellWidth - 1
            #expect(grid[last, origin.y].role == ColorRole.leader(slot: slot))
            #expect(grid[last, origin.y].scalar == Unicode.Scalar(UInt8(48 + slot)))
        }
    }

    @Test("the selected partition's detail names leader, owners, phase and who it waits for")
    func partitionDetail() {
        var state = Fixtures.state()
        state.selectedPartition = 7
        let grid = Renderer.render(state)
        #expect(grid.locate("Partition 7") != nil)
        #expect(row(grid, containing: "leader    e5e5e5e5")?.contains("slot 2") == true)
        #expect(row(grid, containing: "owners    s2 e5e5e5e5, s1 c3c3c3c3") != nil)
        #expect(row(grid, containing: "phase     locked · acknowledged 0 of 2") != nil)
        #expect(row(grid, containing: "waiting   a1a1a1a1, c3c3c3c3") != nil)
    }

    @Test("below 80×24 only the too-small screen is drawn")
    func tooSmall() {
        let grid = Renderer.render(Fixtures.state(width: 60, height: 20))
        #expect(grid.locate("terminal too small") != nil)
        #expect(grid.locate("need 80×24, have 60×20") != nil)
        #expect(grid.locate("Nodes") == nil)
        let narrow = Renderer.render(Fixtures.state(width: 79, height: 40))
        #expect(narrow.locate("need 80×24, have 79×40") != nil)
    }

    @Test("the header keeps name, size, config version and source at any width", arguments: [80, 120, 160])
    func header(width: Int) {
        var state = Fixtures.state(width: width, height: 30)
        state.isDemoLoadOn = true
        state.acknowledgmentDelay = 4_000
        let header = Renderer.render(state).text(row: 0)
        for fact in ["cluster ", "size ", "config v", "embedded", "slowmo 4000ms"] {
            #expect(header.contains(fact), "\(width): \(header)")
        }
        if width >= 160 {
            for fact in ["16 partitions", "replication 2", "load on", "theme default"] {
                #expect(header.contains(fact), "\(width): \(header)")
            }
        }
        #expect(!header.contains("…"), "facts are dropped whole, never cut: \(header)")
    }

    @Test("the narrow layout at exactly 80×24 still shows every pane")
    func minimumSize() {
        let grid = Renderer.render(Fixtures.state(width: 80, height: 24))
        for title in ["Nodes (3)", "Partitions (16)", "Partition 0", "Writes", "Events"] {
            #expect(grid.locate(title) != nil, "missing \(title)")
        }
        #expect(grid.text(row: 23).contains("? help"))
    }

    @Test("ASCII mode uses no character beyond ASCII and marks the phase in the cell")
    func asciiFallback() {
        let state = Fixtures.state(ascii: true)
        let grid = Renderer.render(state)
        #expect(grid.cells.allSatisfy { $0.scalar.value < 0x7F })
        let p3 = cellOrigin(of: 3, in: state)
        #expect(grid[p3.x, p3.y].scalar == "#")
        #expect(grid[p3.x + 1, p3.y].scalar == "1")
        let p7 = cellOrigin(of: 7, in: state)
        #expect(grid[p7.x + 1, p7.y].scalar == "L")
        #expect(grid[0, 2].scalar == "+")
        #expect(grid.locate("# HANDSHAKE IN PROGRESS") != nil)
    }

    @Test("the mono theme carries no colour; the screen reads from text and attributes alone")
    func monoTheme() {
        var state = Fixtures.state()
        state.focus = .partitions
        state.selectedPartition = 5
        let grid = Renderer.render(state)
        let theme = Theme.mono
        #expect(!theme.usesColor)
        for cell in grid.cells { #expect(!theme.style(for: cell.role).usesColor) }
        let selected = cellOrigin(of: 5, in: state)
        #expect(grid[selected.x + 2, selected.y].attributes.contains(.reverse))
        #expect(theme.style(for: .lock).attributes.contains(.reverse))
        #expect(theme.style(for: .banner).attributes.contains(.reverse))
        #expect(grid.locate("🔒 HANDSHAKE IN PROGRESS") != nil)
    }

    @Test("a focused node row is drawn in the selection role")
    func nodeSelection() throws {
        var state = Fixtures.state()
        state.selectedNodeID = Fixtures.n1
        let grid = Renderer.render(state)
        let row = try #require(nodeRow(grid, state, id: Fixtures.n1))
        let x = state.layout.nodes.x + 1
        #expect(grid[x, row.y].scalar == "▶")
        #expect((x..<state.layout.nodes.maxX - 1).allSatisfy { grid[$0, row.y].role == .selection })
        #expect(grid[x, row.y - 1].role != .selection)
    }

    @Test("a node only its peers vouch for is marked as unconfirmed")
    func unreachableNode() {
        var snapshot = Fixtures.handshakeSnapshot()
        snapshot.statuses[Fixtures.n1] = nil
        snapshot.unreachable = [Fixtures.n1]
        let state = Fixtures.state(snapshot: snapshot)
        let grid = Renderer.render(state)
        let line = nodeRow(grid, state, id: Fixtures.n1)?.text ?? ""
        #expect(line.contains("c3c3c3c3 UP?"))
        #expect(line.contains(" ? "))
        #expect(grid.text(row: 1).contains("HANDSHAKE"))
    }

    @Test("the command line, prompt and confirmation take the flash line")
    func inputLines() {
        var state = Fixtures.state()
        state.mode = .commandLine(LineEditor(text: "resize 4"))
        var grid = Renderer.render(state)
        #expect(grid.text(row: 48).hasPrefix(":resize 4"))
        #expect(grid.cursor == GridPoint(x: 9, y: 48))
        #expect(grid.text(row: 49).contains("Enter run"))

        state.mode = .confirm(.resize(from: 3, to: 4))
        grid = Renderer.render(state)
        #expect(grid.text(row: 48).hasPrefix("Resize the cluster from 3 to 4 slots? (y/n)"))
        #expect(grid.cursor == nil)
    }

    @Test("a rejection flash shows the cluster's message verbatim")
    func rejectionFlash() throws {
        var state = Fixtures.state()
        _ = ConsoleReducer.reduce(
            &state, .requestFinished(.resize(to: 4), .rejected(ClientFailure.handshakeInProgressMessage)))
        let grid = Renderer.render(state)
        let message = ClientFailure.handshakeInProgressMessage
        #expect(grid.text(row: 48) == " \(message) " + String(repeating: " ", count: 160 - message.count - 2))
        #expect(grid[1, 48].role == .flashError)
        let logged = try #require(grid.locate(message))
        #expect(logged.y == state.layout.events.y + 1)
        #expect(grid[logged.x, logged.y].role == .error)
    }

    @Test("help is printed from the key map, commands included")
    func help() {
        var state = Fixtures.state(width: 160, height: 60)
        state.mode = .help(scroll: 0)
        let text = Renderer.render(state).plainText
        for binding in KeyMap.standard.bindings(in: .normal) {
            #expect(text.contains(binding.summary), "help lacks: \(binding.summary)")
        }
        #expect(text.contains(":resize N"))
        #expect(text.contains(":slowmo MS"))
        #expect(text.contains("(embedded only)"))
    }

    @Test("detail screens show a node's full record and a partition's holders")
    func detailScreens() {
        var state = Fixtures.state()
        state.mode = .detail(.node(Fixtures.n2))
        var text = Renderer.render(state).plainText
        #expect(text.contains(Fixtures.n2))
        #expect(text.contains("127.0.0.1:8002"))
        #expect(text.contains("locked        3,7-9"))

        state.mode = .detail(.partition(3))
        text = Renderer.render(state).plainText
        #expect(text.contains("locked by     c3c3c3c3, e5e5e5e5"))
    }

    @Test("64 nodes and 1024 partitions fit at 160×50 with the selection in view")
    func largeCluster() {
        let state = RenderBenchmark.state()
        let grid = Renderer.render(state)
        #expect(grid.locate("Nodes (64)") != nil)
        #expect(grid.locate("Partitions (1024)") != nil)
        #expect(grid.locate("Partition 512") != nil)
        #expect(grid.cells.contains { $0.attributes.contains(.reverse) })
        #expect(grid.locate("more handshakes") != nil)
    }

    @Test("a frame never writes outside its grid, at any size", arguments: [80, 97, 139, 140, 211])
    func sizes(width: Int) {
        for height in [24, 25, 37, 61] {
            let grid = Renderer.render(Fixtures.state(width: width, height: height))
            #expect(grid.width == width && grid.height == height)
            #expect(grid.locate("GossipGrid") != nil)
        }
    }
}

@Suite("Renderer robustness")
struct RendererRobustnessTests {
    static let modes: [ConsoleMode] = [
        .normal, .filter, .help(scroll: 3), .help(scroll: 900), .detail(.node(Fixtures.n1)), .detail(.partition(9)),
        .detail(.node("ffffffffffffffff")), .detail(.partition(4000)), .confirm(.kill(node: Fixtures.n0, context: "x")),
        .prompt(.resizeSize(current: 3), text: "12"),
        .commandLine(LineEditor(text: String(repeating: "x", count: 150))),
    ]

    @Test("every mode draws at every size without leaving the grid", arguments: modes)
    func modesAndSizes(mode: ConsoleMode) {
        for width in stride(from: 60, through: 230, by: 17) {
            for height in stride(from: 18, through: 70, by: 13) {
                for ascii in [false, true] {
                    var state = Fixtures.state(width: width, height: height, ascii: ascii)
                    state.mode = mode
                    state.setFilter(mode == .filter ? "c3" : "")
                    let grid = Renderer.render(state)
                    #expect(grid.cells.count == width * height)
                    if let cursor = grid.cursor { #expect(cursor.x < width && cursor.y < height) }
                }
            }
        }
    }

    @Test("an empty snapshot and a cluster nobody answers for still draw")
    func emptyViews() {
        let waiting = ConsoleState(sourceKind: .embedded, supportsMembershipChanges: true, width: 100, height: 30)
        #expect(Renderer.render(waiting).locate("waiting for the first status…") != nil)
        #expect(Renderer.render(waiting).locate("connecting…") != nil)
        var nobody = waiting
        nobody.setSnapshot(ClusterSnapshot(unreachable: ["127.0.0.1:8000"]))
        let grid = Renderer.render(nobody)
        #expect(grid.locate("no node reachable") != nil)
        #expect(grid.locate("no partitions known yet") != nil)
    }

    @Test("the big cluster draws at its edges and with every partition selected in turn")
    func bigCluster() {
        var state = RenderBenchmark.state()
        for partition in stride(from: 0, to: 1024, by: 97) + [1023] {
            state.selectedPartition = partition
            let grid = Renderer.render(state)
            #expect(grid.locate("Partition \(partition)") != nil)
        }
        state.width = 80
        state.height = 24
        #expect(Renderer.render(state).locate("Nodes (64) 1-3") != nil)
    }
}
