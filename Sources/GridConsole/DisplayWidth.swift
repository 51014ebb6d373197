/// Terminal columns one scalar occupies: 0 for controls, combining marks and format
/// characters, 2 for East Asian wide/fullwidth characters and emoji presentation, else 1.
///
/// `String.count` counts grapheme clusters, which is neither bytes nor columns; the grid
/// and every table align on this instead. ASCII takes the fast path.
public func displayWidth(of scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x7F { return value >= 0x20 ? 1 : 0 }
    if value < 0xA0 { return 0 }
    if value == 0x200B || (0x200C...0x200F).contains(value) || (0xFE00...0xFE0F).contains(value) { return 0 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control: return 0
    default: break
    }
    if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
    return 1
}

/// The columns a whole string occupies.
public func displayWidth(_ text: some StringProtocol) -> Int {
    var width = 0
    for scalar in text.unicodeScalars { width += displayWidth(of: scalar) }
    return width
}

/// The longest prefix of `text` that fits in `columns`, with `ellipsis` at its end when
/// anything was cut.
public func truncated(_ text: String, toWidth columns: Int, ellipsis: String = "…") -> String {
    guard columns > 0 else { return "" }
    if displayWidth(text) <= columns { return text }
    let room = columns - displayWidth(ellipsis)
    guard room >= 0 else { return "" }
    var result = String.UnicodeScalarView()
    var used = 0
    for scalar in text.unicodeScalars {
        let width = displayWidth(of: scalar)
        if used + width > room { break }
        result.append(scalar)
        used += width
    }
    return String(result) + ellipsis
}

/// `text` padded with spaces (or cut) to exactly `columns`, aligned left or right.
public func padded(_ text: String, toWidth columns: Int, alignRight: Bool = false) -> String {
    let width = displayWidth(text)
    if width > columns { return truncated(text, toWidth: columns) }
    let padding = String(repeating: " ", count: columns - width)
    return alignRight ? padding + text : text + padding
}

/// East Asian Wide and Fullwidth blocks (Unicode 15 EastAsianWidth.txt, coalesced);
/// emoji are left to `isEmojiPresentation`, which the table would only approximate.
private func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1B000...0x1B2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
        return true
    default:
        return false
    }
}
