/// Bars for a short series, one scalar per value, scaled to the series' own maximum or
/// to `scale` when several lines must compare. Zero is a blank, so "nothing happened"
/// reads differently from "a little" (the lowest bar).
public func sparkline(_ values: [UInt32], levels: [Unicode.Scalar], scale: UInt32? = nil) -> [Unicode.Scalar] {
    let top = UInt64(max(scale ?? values.max() ?? 0, 1))
    let count = UInt64(levels.count)
    return values.map { value in
        if value == 0 { return " " }
        let level = (UInt64(value) * count - 1) / top
        return levels[Int(min(level, count - 1))]
    }
}
