import GridCore

/// The console's only logic: a pure function from (state, action) to the new state and the
/// commands the app must carry out. No I/O, no clocks; time arrives as `tick` actions.
public enum ConsoleReducer {
    public static let flashMilliseconds: Int64 = 4000
    public static let errorFlashMilliseconds: Int64 = 8000
    /// How long the map marks a partition as just opened.
    public static let openedMarkMilliseconds: Int64 = 2500

    public static func reduce(
        _ state: inout ConsoleState, _ action: ConsoleAction, keyMap: KeyMap = .standard
    ) -> [ConsoleCommand] {
        switch action {
        case .tick(let now):
            tick(&state, now: now)
            return []
        case .key(let key):
            state.revision &+= 1
            return handle(key, in: &state, keyMap: keyMap)
        case .snapshotArrived(let snapshot):
            // The same views again (a quiet remote cluster between polls) need no redraw.
            guard !state.isPaused, !state.hasSnapshot || snapshot != state.snapshot else { return [] }
            receive(snapshot, in: &state)
            return []
        case .eventsArrived(let events):
            for event in events { record(event, in: &state) }
            state.revision &+= 1
            return []
        case .requestFinished(let request, let result):
            return finish(request, result, in: &state)
        case .writesFinished(let outcomes):
            for outcome in outcomes { state.traffic.record(outcome, second: state.now / 1000) }
            state.revision &+= 1
            return []
        case .terminalResized(let width, let height):
            state.width = width
            state.height = height
            state.revision &+= 1
            return []
        case .themeLoaded(let name):
            state.themeName = name
            flash("Theme \(name)", in: &state)
            return []
        case .themeFailed(let message):
            flashError(message, in: &state)
            state.log.add(message, role: .error, at: state.now)
            return []
        }
    }

    // MARK: Time and data

    private static func tick(_ state: inout ConsoleState, now: Int64) {
        let previousSecond = state.now / 1000
        state.now = now
        var changed = false
        if let flash = state.flash, flash.expiresAt <= now {
            state.flash = nil
            changed = true
        }
        let expired = state.recentlyOpened.filter { now - $0.value >= openedMarkMilliseconds }
        if !expired.isEmpty {
            for partition in expired.keys { state.recentlyOpened[partition] = nil }
            changed = true
        }
        if now / 1000 != previousSecond && !state.traffic.isEmpty { changed = true }
        if changed { state.revision &+= 1 }
    }

    private static func receive(_ snapshot: ClusterSnapshot, in state: inout ConsoleState) {
        let wasLocked = state.view.partitions.map(\.locked)
        state.setSnapshot(snapshot)
        for (partition, locked) in wasLocked.enumerated() where locked {
            if partition < state.view.partitions.count, !state.view.partitions[partition].locked {
                state.recentlyOpened[partition] = state.now
            }
        }
        state.revision &+= 1
    }

    private static func record(_ event: ClusterEvent, in state: inout ConsoleState) {
        switch event {
        case .grid(let event):
            guard let line = event.logLine else { return }
            state.log.add(line.text, role: line.role, at: state.now)
        case .note(let text, let severity):
            let role: ColorRole =
                switch severity {
                case .info: .dim
                case .warning: .warn
                case .error: .error
                }
            state.log.add(text, role: role, at: state.now)
        }
    }

    private static func finish(
        _ request: ConsoleRequest, _ result: ConsoleActionResult, in state: inout ConsoleState
    ) -> [ConsoleCommand] {
        switch result {
        case .done(let message):
            if case .setAcknowledgmentDelay(let milliseconds) = request { state.acknowledgmentDelay = milliseconds }
            flash(message, in: &state)
            state.log.add(message, role: .ok, at: state.now)
        case .rejected(let message):
            // Verbatim in both places: operators (and scripts reading the screen) match it.
            flashError(message, in: &state)
            state.log.add(message, role: .error, at: state.now)
        case .failed(let message):
            flashError("\(request) failed: \(message)", in: &state)
            state.log.add("\(request) failed: \(message)", role: .error, at: state.now)
        }
        return [.refresh]
    }

    // MARK: Keys

    private static func handle(_ key: Key, in state: inout ConsoleState, keyMap: KeyMap) -> [ConsoleCommand] {
        let intent = keyMap.intent(for: key, in: state.mode.keyContext)
        switch state.mode {
        case .normal:
            guard let intent else { return [] }
            return perform(intent, in: &state)
        case .commandLine(var editor):
            switch intent {
            case .submit?:
                state.mode = .normal
                let line = editor.text.trimmingSpaces
                guard !line.isEmpty else { return [] }
                state.history.record(line)
                switch TypedCommand.parse(line) {
                case .success(let command): return run(command, in: &state)
                case .failure(let error):
                    flashError(error.description, in: &state)
                    return []
                }
            case .cancel?:
                state.mode = .normal
                return []
            case .historyPrevious?: editor.showPrevious(in: state.history)
            case .historyNext?: editor.showNext(in: state.history)
            case .deleteBackward?:
                if editor.text.isEmpty {
                    state.mode = .normal
                    return []
                }
                editor.deleteBackward()
            default:
                guard let character = typed(key) else { return [] }
                editor.insert(character)
            }
            state.mode = .commandLine(editor)
            return []
        case .filter:
            switch intent {
            case .submit?:
                state.mode = .normal
                if state.filter.isActive { flash("Filter '\(state.filter.text)' (Esc clears)", in: &state) }
            case .cancel?:
                state.setFilter("")
                state.mode = .normal
            case .deleteBackward?:
                state.setFilter(String(state.filter.text.dropLast()))
            default:
                guard let character = typed(key), state.filter.text.count < LineEditor.maximumLength else { return [] }
                state.setFilter(state.filter.text + String(character))
            }
            return []
        case .prompt(let prompt, let text):
            return answer(prompt, text: text, key: key, intent: intent, in: &state)
        case .confirm(let pending):
            switch intent {
            case .confirm?:
                state.mode = .normal
                return request(pending.request, context: pending.context, in: &state)
            case .decline?:
                state.mode = .normal
                flash("Cancelled", in: &state)
            default: break
            }
            return []
        case .help(let scroll):
            let page = max(1, state.layout.body.height - 3)
            let step: Int
            switch intent {
            case .back?:
                state.mode = .normal
                return []
            case .moveUp?: step = -1
            case .moveDown?: step = 1
            case .pageUp?: step = -page
            case .pageDown?: step = page
            default: return []
            }
            state.mode = .help(scroll: min(max(0, scroll + step), HelpScreen.maximumScroll(state)))
            return []
        case .detail(let target):
            return inDetail(target, intent: intent, in: &state)
        }
    }

    /// A key that types a character into a line, or nil for keys that do not.
    private static func typed(_ key: Key) -> Character? {
        guard case .character(let character) = key else { return nil }
        guard character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return nil }
        return character
    }

    private static func perform(_ intent: KeyIntent, in state: inout ConsoleState) -> [ConsoleCommand] {
        switch intent {
        case .showHelp:
            state.mode = .help(scroll: 0)
        case .openCommandLine:
            state.mode = .commandLine(LineEditor())
        case .startFilter:
            state.mode = .filter
        case .openDetail:
            if state.focus == .nodes, let id = state.selectedNodeID {
                state.mode = .detail(.node(id))
            } else if state.view.partitionCount > 0 {
                state.mode = .detail(.partition(state.selectedPartition))
            }
        case .back:
            if state.filter.isActive {
                state.setFilter("")
                flash("Filter cleared", in: &state)
            }
        case .togglePause:
            state.isPaused.toggle()
            flash(state.isPaused ? "Refresh paused (p resumes)" : "Refresh resumed", in: &state)
            return state.isPaused ? [] : [.refresh]
        case .cycleTheme:
            return cycleTheme(in: &state)
        case .toggleLoad:
            setDemoLoad(!state.isDemoLoadOn, in: &state)
        case .redraw:
            return [.redraw]
        case .quit:
            return [.quit]
        case .resize:
            guard let cluster = state.view.cluster else {
                flashError("No cluster to resize yet", in: &state)
                return []
            }
            state.mode = .prompt(.resizeSize(current: cluster.size), text: "")
        case .killSelected:
            guard let node = state.selectedNode else {
                flashError("No node selected", in: &state)
                return []
            }
            state.mode = .confirm(.kill(node: node.record.id, context: nil))
        case .killOldLeader:
            killOldLeader(preferring: state.selectedPartition, in: &state)
        case .addNode:
            guard requireMembershipChanges("Adding a node", in: &state) else { return [] }
            return request(.addNode, context: nil, in: &state)
        case .restartNode:
            guard requireMembershipChanges("Restarting a node", in: &state) else { return [] }
            guard let node = state.selectedNode else {
                flashError("No node selected", in: &state)
                return []
            }
            return request(.restart(node: node.record.id), context: nil, in: &state)
        case .moveUp, .moveDown, .moveLeft, .moveRight, .pageUp, .pageDown, .home, .end, .nextPane, .previousPane:
            move(intent, in: &state)
        case .submit, .cancel, .historyPrevious, .historyNext, .deleteBackward, .confirm, .decline:
            break
        }
        return []
    }

    private static func run(_ command: TypedCommand, in state: inout ConsoleState) -> [ConsoleCommand] {
        switch command {
        case .resize(let size):
            guard let cluster = state.view.cluster else {
                flashError("No cluster to resize yet", in: &state)
                return []
            }
            askToResize(from: cluster.size, to: size, in: &state)
        case .kill(let reference):
            switch state.view.resolveNode(reference) {
            case .success(let node): state.mode = .confirm(.kill(node: node.record.id, context: nil))
            case .failure(let error): flashError(error.description, in: &state)
            }
        case .slowMotion(let milliseconds):
            return request(.setAcknowledgmentDelay(milliseconds: milliseconds), context: nil, in: &state)
        case .theme(nil):
            flash("Themes: \(state.themeNames.joined(separator: ", ")) (now \(state.themeName))", in: &state)
        case .theme(let name?):
            guard !state.isColorForcedOff else {
                flashError("Colours are off (NO_COLOR or --no-color)", in: &state)
                return []
            }
            return [.loadTheme(name)]
        case .addNode:
            guard requireMembershipChanges("Adding a node", in: &state) else { return [] }
            return request(.addNode, context: nil, in: &state)
        case .restart(let reference):
            guard requireMembershipChanges("Restarting a node", in: &state) else { return [] }
            switch state.view.resolveNode(reference) {
            case .success(let node): return request(.restart(node: node.record.id), context: nil, in: &state)
            case .failure(let error): flashError(error.description, in: &state)
            }
        case .load(let on):
            setDemoLoad(on ?? !state.isDemoLoadOn, in: &state)
        case .help:
            state.mode = .help(scroll: 0)
        case .quit:
            return [.quit]
        }
        return []
    }

    private static func answer(
        _ prompt: Prompt, text: String, key: Key, intent: KeyIntent?, in state: inout ConsoleState
    ) -> [ConsoleCommand] {
        switch prompt {
        case .resizeSize(let current):
            switch intent {
            case .submit?:
                guard let size = Int(text), (1...1024).contains(size) else {
                    flashError("Type a size from 1 to 1024", in: &state)
                    return []
                }
                askToResize(from: current, to: size, in: &state)
            case .cancel?:
                state.mode = .normal
                flash("Resize cancelled", in: &state)
            case .deleteBackward?:
                state.mode = .prompt(prompt, text: String(text.dropLast()))
            default:
                guard let character = typed(key), character.isASCII, character.isNumber, text.count < 4 else {
                    return []
                }
                state.mode = .prompt(prompt, text: text + String(character))
            }
        }
        return []
    }

    private static func inDetail(
        _ target: DetailTarget, intent: KeyIntent?, in state: inout ConsoleState
    ) -> [ConsoleCommand] {
        switch (intent, target) {
        case (.back?, _):
            state.mode = .normal
        case (.moveLeft?, .node), (.moveRight?, .node):
            move(intent == .moveLeft ? .moveUp : .moveDown, pane: .nodes, in: &state)
            if let id = state.selectedNodeID { state.mode = .detail(.node(id)) }
        case (.moveLeft?, .partition), (.moveRight?, .partition):
            move(intent == .moveLeft ? .moveLeft : .moveRight, pane: .partitions, in: &state)
            state.mode = .detail(.partition(state.selectedPartition))
        case (.killSelected?, .node(let id)):
            state.mode = .confirm(.kill(node: id, context: nil))
        case (.killOldLeader?, .partition(let partition)):
            killOldLeader(preferring: partition, in: &state)
        default:
            break
        }
        return []
    }

    // MARK: Actions

    private static func askToResize(from current: Int, to size: Int, in state: inout ConsoleState) {
        if size == current {
            state.mode = .normal
            flash("The cluster already has \(size) slots", in: &state)
        } else {
            state.mode = .confirm(.resize(from: current, to: size))
        }
    }

    /// Asks to kill the previous leader of a partition in handshake: `preferred` when it is
    /// in one, else the lowest-numbered partition that is, so the key always does something
    /// predictable and the confirmation names the target.
    private static func killOldLeader(preferring preferred: Int, in state: inout ConsoleState) {
        guard
            let handshake = state.view.handshake(partition: preferred) ?? state.view.handshakes.first
        else {
            flashError("No partition is in a handshake", in: &state)
            return
        }
        guard let previous = handshake.previousLeader else {
            flashError("p\(handshake.partition) had no previous leader to kill", in: &state)
            return
        }
        let context =
            "old leader of p\(handshake.partition) (moving to \(TextFormatting.shortID(handshake.newLeader)))"
        state.mode = .confirm(.kill(node: previous, context: context))
    }

    private static func request(
        _ request: ConsoleRequest, context: String?, in state: inout ConsoleState
    ) -> [ConsoleCommand] {
        let text = request.description
        flash(text.prefix(1).uppercased() + text.dropFirst() + "…", in: &state)
        state.log.add("requested \(text)" + (context.map { " (\($0))" } ?? ""), role: .warn, at: state.now)
        return [.perform(request)]
    }

    private static func requireMembershipChanges(_ what: String, in state: inout ConsoleState) -> Bool {
        guard state.supportsMembershipChanges else {
            flashError("\(what) needs an embedded cluster (this one is \(state.sourceKind.label))", in: &state)
            return false
        }
        return true
    }

    private static func cycleTheme(in state: inout ConsoleState) -> [ConsoleCommand] {
        guard !state.isColorForcedOff else {
            flashError("Colours are off (NO_COLOR or --no-color)", in: &state)
            return []
        }
        guard !state.themeNames.isEmpty else { return [] }
        let index = state.themeNames.firstIndex(of: state.themeName) ?? -1
        return [.loadTheme(state.themeNames[(index + 1) % state.themeNames.count])]
    }

    private static func setDemoLoad(_ on: Bool, in state: inout ConsoleState) {
        state.isDemoLoadOn = on
        flash(on ? "Demo load on: writing to every partition" : "Demo load off", in: &state)
        state.log.add(on ? "demo load on" : "demo load off", role: .dim, at: state.now)
    }

    // MARK: Selection

    private static func move(_ intent: KeyIntent, in state: inout ConsoleState) {
        move(intent, pane: state.focus, in: &state)
    }

    private static func move(_ intent: KeyIntent, pane: Pane, in state: inout ConsoleState) {
        let layout = state.layout
        switch (pane, intent) {
        case (_, .nextPane), (_, .previousPane):
            state.focus = state.focus == .nodes ? .partitions : .nodes
        case (.nodes, .moveLeft), (.nodes, .moveRight):
            state.focus = .partitions
        case (.nodes, _):
            let rows = state.visibleNodes
            guard !rows.isEmpty else { return }
            let current = state.selectedNodeRow ?? 0
            let page = max(1, layout.nodeVisibleRows)
            let target: Int =
                switch intent {
                case .moveUp: current - 1
                case .moveDown: current + 1
                case .pageUp: current - page
                case .pageDown: current + page
                case .home: 0
                case .end: rows.count - 1
                default: current
                }
            state.selectedNodeID = state.view.nodes[rows[min(max(0, target), rows.count - 1)]].record.id
        case (.partitions, _):
            let count = state.view.partitionCount
            guard count > 0 else { return }
            let current = state.selectedPartition
            let columns = layout.mapColumns
            if intent == .moveLeft, current % columns == 0, state.focus == .partitions {
                state.focus = .nodes
                return
            }
            let target: Int =
                switch intent {
                case .moveUp: current - columns
                case .moveDown: current + columns
                case .moveLeft: current - 1
                case .moveRight: current + 1
                case .pageUp: current - columns * max(1, layout.mapVisibleRows)
                case .pageDown: current + columns * max(1, layout.mapVisibleRows)
                case .home: 0
                case .end: count - 1
                default: current
                }
            state.selectedPartition = min(max(0, target), count - 1)
        }
    }

    // MARK: Flash

    private static func flash(_ text: String, in state: inout ConsoleState) {
        state.flash = Flash(text, kind: .info, expiresAt: state.now + flashMilliseconds)
        state.revision &+= 1
    }

    private static func flashError(_ text: String, in state: inout ConsoleState) {
        state.flash = Flash(text, kind: .error, expiresAt: state.now + errorFlashMilliseconds)
        state.revision &+= 1
    }
}
