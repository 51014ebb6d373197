import GridConsole
import GridCore
import Testing

@Suite("Reducer")
struct ReducerTests {
    @discardableResult
    func press(_ keys: [Key], _ state: inout ConsoleState) -> [ConsoleCommand] {
        var commands: [ConsoleCommand] = []
        for key in keys { commands += ConsoleReducer.reduce(&state, .key(key)) }
        return commands
    }

    func type(_ text: String) -> [Key] { text.map { Key.character($0) } }

    @Test("a terminal resize redraws at the new size, down to the too-small screen and back")
    func terminalResized() throws {
        var state = Fixtures.state(width: 160, height: 50)
        let before = state.revision
        _ = ConsoleReducer.reduce(&state, .terminalResized(width: 100, height: 30))
        #expect(state.revision != before, "a resize must cause a redraw")
        var grid = Renderer.render(state)
        #expect(grid.width == 100 && grid.height == 30)
        #expect(grid.locate("Nodes (3)") != nil)

        _ = ConsoleReducer.reduce(&state, .terminalResized(width: 60, height: 20))
        grid = Renderer.render(state)
        #expect(grid.width == 60 && grid.height == 20)
        #expect(grid.locate("terminal too small") != nil, "\(grid.lines.joined(separator: "\n"))")

        _ = ConsoleReducer.reduce(&state, .terminalResized(width: 120, height: 40))
        #expect(Renderer.render(state).locate("Nodes (3)") != nil)
    }

    @Test("r asks the size, then y/n, then asks the source to resize")
    func resizeFlow() {
        var state = Fixtures.state()
        press([.character("r")], &state)
        #expect(state.mode == .prompt(.resizeSize(current: 3), text: ""))
        press(type("4x"), &state)
        #expect(state.mode == .prompt(.resizeSize(current: 3), text: "4"))
        press([.enter], &state)
        #expect(state.mode == .confirm(.resize(from: 3, to: 4)))
        let commands = press([.character("y")], &state)
        #expect(commands == [.perform(.resize(to: 4))])
        #expect(state.mode == .normal)
        #expect(state.log.entries.first?.text == "requested resize to 4")
    }

    @Test("n, N or Esc at the confirmation does nothing")
    func declineResize() {
        for key in [Key.character("n"), .character("N"), .escape] {
            var state = Fixtures.state()
            press(type(":resize 5") + [.enter], &state)
            #expect(state.mode == .confirm(.resize(from: 3, to: 5)))
            #expect(press([key], &state).isEmpty)
            #expect(state.mode == .normal)
            #expect(state.flash?.text == "Cancelled")
        }
    }

    @Test("a refused resize shows the cluster's exact message in the flash line and the log")
    func rejection() {
        var state = Fixtures.state()
        let message = ClientFailure.handshakeInProgressMessage
        let commands = ConsoleReducer.reduce(&state, .requestFinished(.resize(to: 4), .rejected(message)))
        #expect(commands == [.refresh])
        #expect(state.flash == Flash(message, kind: .error, expiresAt: ConsoleReducer.errorFlashMilliseconds))
        #expect(state.log.entries.first?.text == message)
        #expect(message == "Cannot resize: partition leadership handshake in progress")
    }

    @Test("an invalid size is refused at the prompt without asking the cluster")
    func invalidSize() {
        var state = Fixtures.state()
        press([.character("r"), .enter], &state)
        #expect(state.flash?.kind == .error)
        #expect(state.mode == .prompt(.resizeSize(current: 3), text: ""))
        press([.escape], &state)
        #expect(state.mode == .normal)
        press(type(":resize 3") + [.enter], &state)
        #expect(state.mode == .normal)
        #expect(state.flash?.text == "The cluster already has 3 slots")
        press(type(":resize zero") + [.enter], &state)
        #expect(state.flash?.text == "usage: :resize N")
    }

    @Test("↑ and ↓ walk the command history and come back to the line being typed")
    func commandHistory() {
        var state = Fixtures.state()
        press(type(":slowmo 500") + [.enter], &state)
        press(type(":load on") + [.enter], &state)
        press(type(":load on") + [.enter], &state)
        #expect(state.history.entries == ["slowmo 500", "load on"])
        press(type(":kil"), &state)
        press([.up], &state)
        #expect(state.commandText == "load on")
        press([.up], &state)
        #expect(state.commandText == "slowmo 500")
        press([.up], &state)
        #expect(state.commandText == "slowmo 500")
        press([.down], &state)
        #expect(state.commandText == "load on")
        press([.down], &state)
        #expect(state.commandText == "kil")
    }

    @Test("typed commands reach the source as requests")
    func typedCommands() {
        var state = Fixtures.state()
        #expect(press(type(":slowmo 800") + [.enter], &state) == [.perform(.setAcknowledgmentDelay(milliseconds: 800))])
        #expect(press(type(":slowmo off") + [.enter], &state) == [.perform(.setAcknowledgmentDelay(milliseconds: 0))])
        #expect(press(type(":theme light") + [.enter], &state) == [.loadTheme("light")])
        #expect(press(type(":add") + [.enter], &state) == [.perform(.addNode)])
        #expect(press(type(":restart 1") + [.enter], &state) == [.perform(.restart(node: Fixtures.n1))])
        #expect(press(type(":q") + [.enter], &state) == [.quit])
        press(type(":load") + [.enter], &state)
        #expect(state.isDemoLoadOn)
        press(type(":frobnicate") + [.enter], &state)
        #expect(state.flash?.text == "unknown command ':frobnicate' (? lists the commands)")
    }

    @Test("the slow-motion setting shows once the source confirms it")
    func slowMotionConfirmed() {
        var state = Fixtures.state()
        _ = ConsoleReducer.reduce(
            &state, .requestFinished(.setAcknowledgmentDelay(milliseconds: 800), .done("Acknowledgments delayed")))
        #expect(state.acknowledgmentDelay == 800)
    }

    @Test(":kill takes a slot or a unique id prefix, and asks first")
    func killByReference() {
        var state = Fixtures.state()
        press(type(":kill 2") + [.enter], &state)
        #expect(state.mode == .confirm(.kill(node: Fixtures.n2, context: nil)))
        press([.escape], &state)
        press(type(":kill c3c3") + [.enter], &state)
        #expect(state.mode == .confirm(.kill(node: Fixtures.n1, context: nil)))
        #expect(press([.character("y")], &state) == [.perform(.kill(node: Fixtures.n1))])
        press(type(":kill 9") + [.enter], &state)
        #expect(state.flash?.text == "no node with slot or id prefix '9'")
    }

    @Test("k asks to kill the selected node")
    func killSelected() {
        var state = Fixtures.state()
        press([.down, .character("k")], &state)
        #expect(state.mode == .confirm(.kill(node: Fixtures.n1, context: nil)))
        #expect(press([.character("Y")], &state) == [.perform(.kill(node: Fixtures.n1))])
    }

    @Test("K targets the old leader of the selected partition when it is in a handshake")
    func killOldLeaderOfSelected() {
        var state = Fixtures.state()
        state.selectedPartition = 8
        press([.character("K")], &state)
        guard case .confirm(.kill(let node, let context)) = state.mode else {
            Issue.record("expected a kill confirmation, got \(state.mode)")
            return
        }
        #expect(node == Fixtures.n0)
        #expect(context == "old leader of p8 (moving to e5e5e5e5)")
        #expect(press([.character("y")], &state) == [.perform(.kill(node: Fixtures.n0))])
        #expect(state.log.entries.first?.text == "requested kill a1a1a1a1 (old leader of p8 (moving to e5e5e5e5))")
    }

    @Test("K falls back to the lowest partition in handshake, and says so when there is none")
    func killOldLeaderFallback() {
        var state = Fixtures.state()
        state.selectedPartition = 0
        press([.character("K")], &state)
        #expect(state.mode == .confirm(.kill(node: Fixtures.n1, context: "old leader of p3 (moving to e5e5e5e5)")))

        var settled = Fixtures.state(snapshot: Fixtures.settledSnapshot())
        #expect(press([.character("K")], &settled).isEmpty)
        #expect(settled.mode == .normal)
        #expect(settled.flash == Flash("No partition is in a handshake", kind: .error, expiresAt: 8000))
    }

    @Test("/ filters nodes and partitions as you type; Esc clears")
    func filter() {
        var state = Fixtures.state()
        press([.character("/")] + type("e5"), &state)
        #expect(state.mode == .filter)
        #expect(state.visibleNodes.map { state.view.nodes[$0].record.id } == [Fixtures.n2])
        #expect(state.partitionMatches?.enumerated().filter(\.element).map(\.offset) == [3, 7, 8, 9])
        #expect(state.selectedNodeID == Fixtures.n2)
        press([.enter], &state)
        #expect(state.mode == .normal)
        #expect(state.filter.text == "e5")
        press([.escape], &state)
        #expect(!state.filter.isActive)
        #expect(state.visibleNodes.count == 3)
        #expect(state.partitionMatches == nil)

        press([.character("/")] + type("locked"), &state)
        #expect(state.partitionMatches?.enumerated().filter(\.element).map(\.offset) == [3, 7, 8, 9])
        press([.backspace, .backspace, .backspace, .backspace, .backspace, .backspace], &state)
        #expect(!state.filter.isActive)
        press([.character("/")] + type("p12") + [.escape], &state)
        #expect(!state.filter.isActive)
    }

    @Test("arrows move through nodes and the map; Tab switches panes")
    func navigation() {
        var state = Fixtures.state(width: 100, height: 30)
        press([.down, .down, .down], &state)
        #expect(state.selectedNodeID == Fixtures.n2)
        press([.home], &state)
        #expect(state.selectedNodeID == Fixtures.n0)
        press([.tab], &state)
        #expect(state.focus == .partitions)
        press([.right, .right], &state)
        #expect(state.selectedPartition == 2)
        press([.end], &state)
        #expect(state.selectedPartition == 15)
        press([.home, .left], &state)
        #expect(state.focus == .nodes)
        press([.right], &state)
        #expect(state.focus == .partitions)

        var big = RenderBenchmark.state()
        big.selectedPartition = 0
        press([.down], &big)
        #expect(big.selectedPartition == big.layout.mapColumns)
    }

    @Test("Enter opens the detail of what is focused; arrows move within it; Esc leaves")
    func detail() {
        var state = Fixtures.state()
        press([.enter], &state)
        #expect(state.mode == .detail(.node(Fixtures.n0)))
        press([.right], &state)
        #expect(state.mode == .detail(.node(Fixtures.n1)))
        press([.escape, .tab, .enter], &state)
        #expect(state.mode == .detail(.partition(0)))
        press([.right], &state)
        #expect(state.mode == .detail(.partition(1)))
        press([.character("q")], &state)
        #expect(state.mode == .normal)
    }

    @Test("adding and restarting need an embedded cluster")
    func membershipOnRemote() {
        var state = Fixtures.state(embedded: false)
        #expect(press([.character("a")], &state).isEmpty)
        #expect(state.flash?.text == "Adding a node needs an embedded cluster (this one is remote 127.0.0.1:8000)")
        #expect(press([.character("R")], &state).isEmpty)
        var embedded = Fixtures.state()
        #expect(press([.character("a")], &embedded) == [.perform(.addNode)])
        #expect(press([.character("R")], &embedded) == [.perform(.restart(node: Fixtures.n0))])
    }

    @Test("p pauses refresh: snapshots are ignored until it resumes")
    func pause() {
        var state = Fixtures.state()
        press([.character("p")], &state)
        #expect(state.isPaused)
        _ = ConsoleReducer.reduce(&state, .snapshotArrived(Fixtures.settledSnapshot()))
        #expect(!state.view.handshakes.isEmpty)
        #expect(press([.character("p")], &state) == [.refresh])
        _ = ConsoleReducer.reduce(&state, .snapshotArrived(Fixtures.settledSnapshot()))
        #expect(state.view.handshakes.isEmpty)
    }

    @Test("partitions that unlock are marked as opened for a moment")
    func recentlyOpened() {
        var state = Fixtures.state()
        _ = ConsoleReducer.reduce(&state, .tick(now: 1000))
        _ = ConsoleReducer.reduce(&state, .snapshotArrived(Fixtures.settledSnapshot()))
        #expect(state.recentlyOpened == [3: 1000, 7: 1000, 8: 1000, 9: 1000])
        _ = ConsoleReducer.reduce(&state, .tick(now: 1000 + ConsoleReducer.openedMarkMilliseconds))
        #expect(state.recentlyOpened.isEmpty)
    }

    @Test("ticks expire the flash and change nothing else")
    func ticks() {
        var state = Fixtures.state()
        press([.character("l")], &state)
        let revision = state.revision
        _ = ConsoleReducer.reduce(&state, .tick(now: 100))
        #expect(state.revision == revision)
        #expect(state.flash != nil)
        _ = ConsoleReducer.reduce(&state, .tick(now: ConsoleReducer.flashMilliseconds))
        #expect(state.flash == nil)
        #expect(state.revision == revision + 1)
    }

    @Test("t cycles themes, unless colour is forced off")
    func themes() {
        var state = Fixtures.state()
        state.themeName = "light"
        #expect(press([.character("t")], &state) == [.loadTheme("mono")])
        _ = ConsoleReducer.reduce(&state, .themeLoaded("mono"))
        #expect(press([.character("t")], &state) == [.loadTheme("colorblind")])
        _ = ConsoleReducer.reduce(&state, .themeFailed("themes/bad.theme:3: unknown colour 'purpel'"))
        #expect(state.flash?.text == "themes/bad.theme:3: unknown colour 'purpel'")

        state.isColorForcedOff = true
        #expect(press([.character("t")], &state).isEmpty)
        #expect(press(type(":theme light") + [.enter], &state).isEmpty)
    }

    @Test("demo load results are counted per node and per partition")
    func traffic() {
        var state = Fixtures.state()
        _ = ConsoleReducer.reduce(&state, .tick(now: 5_500))
        _ = ConsoleReducer.reduce(
            &state,
            .writesFinished([
                WriteOutcome(.accepted, partition: 0, node: Fixtures.n0),
                WriteOutcome(.rejected, partition: 3, node: Fixtures.n2),
                WriteOutcome(.rejected, partition: 3, node: Fixtures.n2),
                WriteOutcome(.failed("timeout"), partition: 4, node: nil),
            ]))
        #expect(state.traffic.overall.accepted == 1)
        #expect(state.traffic.overall.rejected == 2)
        #expect(state.traffic.overall.failed == 1)
        #expect(state.traffic.byNode[Fixtures.n2]?.rejected == 2)
        #expect(state.traffic.byPartition[3]?.rejectedHistory(endingAt: 5, count: 3) == [0, 0, 2])
    }

    @Test("q quits, Ctrl-L redraws, ? opens help and Esc closes it")
    func simpleKeys() {
        var state = Fixtures.state()
        #expect(press([.character("q")], &state) == [.quit])
        #expect(press([.control("l")], &state) == [.redraw])
        press([.character("?")], &state)
        #expect(state.mode == .help(scroll: 0))
        press([.down], &state)
        #expect(state.mode == .help(scroll: 0), "help fits at 160×50, so it does not scroll")
        press([.escape], &state)
        #expect(state.mode == .normal)

        var small = Fixtures.state(width: 80, height: 24)
        press([.character("?"), .down, .down, .up], &small)
        #expect(small.mode == .help(scroll: 1))
        press(Array(repeating: .pageDown, count: 20), &small)
        guard case .help(let bottom) = small.mode else { return }
        #expect(bottom > 1 && bottom < 100)
        press([.up], &small)
        #expect(small.mode == .help(scroll: bottom - 1))
    }

    @Test("events from nodes and the source land in the log, newest first; rejected writes do not")
    func events() {
        var state = Fixtures.state()
        let node = NodeID(hex: Fixtures.n2)!
        _ = ConsoleReducer.reduce(
            &state,
            .eventsArrived([
                .grid(GridEvent(.locked, node: node, partition: 3, epoch: Epoch(rawValue: 2050))),
                .grid(GridEvent(.writeRejected, node: node, partition: 3)),
                .note("node 3 started", severity: .info),
            ]))
        #expect(state.log.entries.map(\.text) == ["node 3 started", "e5e5e5e5 locked p3 e2050"])
        #expect(state.log.entries.last?.role == .lock)
    }
}

extension ConsoleState {
    /// The text on the command line, or nil when it is not open.
    var commandText: String? {
        if case .commandLine(let editor) = mode { return editor.text }
        return nil
    }
}
