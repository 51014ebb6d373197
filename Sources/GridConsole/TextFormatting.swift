/// Small, pure text formats shared by the screen and the plain status table.
public enum TextFormatting {
    /// Sorted, de-duplicated integers with runs compressed: `[3, 7, 8, 9]` → `3,7-9`.
    /// With `maxWidth`, whole items are dropped from the end and `+N` says how many
    /// values were not shown. Empty input gives `-`.
    public static func compressedRanges(_ values: [Int], maxWidth: Int? = nil) -> String {
        let sorted = Array(Set(values)).sorted()
        guard !sorted.isEmpty else { return "-" }
        var items: [(text: String, count: Int)] = []
        var start = sorted[0]
        var previous = sorted[0]
        for value in sorted.dropFirst() {
            if value == previous + 1 {
                previous = value
                continue
            }
            items.append(item(start, previous))
            start = value
            previous = value
        }
        items.append(item(start, previous))
        let full = items.map(\.text).joined(separator: ",")
        guard let maxWidth, full.utf8.count > maxWidth else { return full }
        var shown = ""
        var shownCount = 0
        for item in items {
            let candidate = shown.isEmpty ? item.text : shown + "," + item.text
            let rest = sorted.count - shownCount - item.count
            let suffix = rest > 0 ? ",+\(rest)" : ""
            if candidate.utf8.count + suffix.utf8.count > maxWidth { break }
            shown = candidate
            shownCount += item.count
        }
        let hidden = sorted.count - shownCount
        if shown.isEmpty { return String("+\(hidden)".prefix(maxWidth)) }
        return shown + ",+\(hidden)"
    }

    private static func item(_ start: Int, _ end: Int) -> (text: String, count: Int) {
        if start == end { return ("\(start)", 1) }
        if end == start + 1 { return ("\(start),\(end)", 2) }
        return ("\(start)-\(end)", end - start + 1)
    }

    /// A short age: `850ms`, `1.2s`, `42s`, `3m05s`, `2h04m`; negative ages read `-`.
    public static func duration(milliseconds: Int64) -> String {
        guard milliseconds >= 0 else { return "-" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds < 10_000 {
            let tenths = milliseconds / 100
            return "\(tenths / 10).\(tenths % 10)s"
        }
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(twoDigits(seconds % 60))s" }
        return "\(seconds / 3600)h\(twoDigits((seconds / 60) % 60))m"
    }

    /// `HH:MM:SS` of a time of day given in milliseconds since midnight-aligned epoch.
    public static func clockTime(milliseconds: Int64) -> String {
        let secondsOfDay = ((milliseconds / 1000) % 86_400 + 86_400) % 86_400
        return
            "\(twoDigits(secondsOfDay / 3600)):\(twoDigits((secondsOfDay / 60) % 60)):\(twoDigits(secondsOfDay % 60))"
    }

    /// The HLC as `wall.counter`, keeping its fast-moving end when it must be cut: the
    /// leading wall-clock digits are the same for every node.
    public static func hybridClock(_ text: String, width: Int, ellipsis: String) -> String {
        guard text.utf8.count > width else { return text }
        let keep = width - displayWidth(ellipsis)
        guard keep > 0 else { return String(text.suffix(width)) }
        return ellipsis + String(text.suffix(keep))
    }

    /// The first eight characters of a node id, as `NodeID.short` prints them.
    public static func shortID(_ id: String) -> String { String(id.prefix(8)) }

    private static func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
