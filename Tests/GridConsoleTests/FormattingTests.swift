import GridConsole
import Testing

@Suite("Formatting")
struct FormattingTests {
    @Test(
        "locked partitions compress into ranges",
        arguments: [
            ([], "-"), ([3, 7, 8, 9], "3,7-9"), ([9, 3, 8, 7, 8], "3,7-9"), ([1, 2], "1,2"), ([0, 1, 2], "0-2"),
            ([5], "5"), ([1, 3, 5, 6, 7, 10, 11], "1,3,5-7,10,11"),
        ])
    func compressedRanges(values: [Int], expected: String) {
        #expect(TextFormatting.compressedRanges(values) == expected)
    }

    @Test("when they do not fit, whole items are dropped and counted")
    func compressedRangesCut() {
        let values = [0, 1, 2, 3, 7, 9, 12, 13, 14, 15, 20]
        #expect(TextFormatting.compressedRanges(values) == "0-3,7,9,12-15,20")
        #expect(TextFormatting.compressedRanges(values, maxWidth: 16) == "0-3,7,9,12-15,20")
        #expect(TextFormatting.compressedRanges(values, maxWidth: 12) == "0-3,7,9,+5")
        #expect(TextFormatting.compressedRanges(values, maxWidth: 3) == "+11")
        for width in 1...20 {
            #expect(TextFormatting.compressedRanges(values, maxWidth: width).count <= width)
        }
    }

    @Test("durations stay short")
    func durations() {
        #expect(TextFormatting.duration(milliseconds: 0) == "0ms")
        #expect(TextFormatting.duration(milliseconds: 850) == "850ms")
        #expect(TextFormatting.duration(milliseconds: 1400) == "1.4s")
        #expect(TextFormatting.duration(milliseconds: 42_000) == "42s")
        #expect(TextFormatting.duration(milliseconds: 185_000) == "3m05s")
        #expect(TextFormatting.duration(milliseconds: 7_440_000) == "2h04m")
        #expect(TextFormatting.duration(milliseconds: -5) == "-")
        #expect(TextFormatting.clockTime(milliseconds: 3_723_000) == "01:02:03")
        #expect(TextFormatting.clockTime(milliseconds: 86_400_000 + 1000) == "00:00:01")
    }

    @Test("HLCs are cut from the left, keeping the part that moves")
    func hybridClock() {
        #expect(TextFormatting.hybridClock("1732370000123.4", width: 15, ellipsis: "…") == "1732370000123.4")
        #expect(TextFormatting.hybridClock("1732370000123.4", width: 8, ellipsis: "…") == "…00123.4")
    }

    @Test("display width counts terminal columns, not characters")
    func widths() {
        #expect(displayWidth("resize") == 6)
        #expect(displayWidth("🔒") == 2)
        #expect(displayWidth("漢字") == 4)
        #expect(displayWidth("e\u{301}") == 1)
        #expect(displayWidth("▁▂▃│┌✓·…") == 8)
        #expect(displayWidth("\u{1B}") == 0)
        #expect(truncated("partition leadership", toWidth: 10) == "partition…")
        #expect(truncated("🔒🔒🔒", toWidth: 4) == "🔒…")
        #expect(padded("🔒", toWidth: 4, alignRight: true) == "  🔒")
    }

    @Test("sparklines scale to the top value; zero is blank")
    func sparklines() {
        let levels = Glyphs.unicode.levels
        #expect(String(String.UnicodeScalarView(sparkline([0, 1, 4, 8], levels: levels))) == " ▁▄█")
        #expect(String(String.UnicodeScalarView(sparkline([2, 2], levels: levels, scale: 16))) == "▁▁")
        #expect(sparkline([], levels: levels).isEmpty)
    }

    @Test("node states read without colour")
    func stateCodes() {
        let up = NodeStateCode(state: "joined", reachable: true)
        #expect(up.code == "UP" && up.role == .ok)
        #expect(NodeStateCode(state: "joining", reachable: true).code == "JOIN")
        #expect(NodeStateCode(state: "syncing", reachable: true).code == "SYNC")
        #expect(NodeStateCode(state: "leaving", reachable: true).code == "LEAV")
        let down = NodeStateCode(state: "disconnected", reachable: false)
        #expect(down.code == "DOWN" && down.role == .error)
        #expect(NodeStateCode(state: "joined", reachable: false).code == "UP?")
    }

    @Test("traffic history keeps the last seconds and forgets older ones")
    func trafficSeries() {
        var series = TrafficSeries()
        series.record(.accepted, second: 100)
        series.record(.accepted, second: 100)
        series.record(.rejected, second: 102)
        #expect(series.acceptedHistory(endingAt: 102, count: 4) == [0, 2, 0, 0])
        #expect(series.rejectedHistory(endingAt: 103, count: 3) == [0, 1, 0])
        series.record(.accepted, second: 200)
        #expect(series.acceptedHistory(endingAt: 200, count: 2) == [0, 1])
        #expect(series.acceptedHistory(endingAt: 130, count: 32).allSatisfy { $0 == 0 })
        #expect(series.accepted == 3 && series.rejected == 1)
    }

    @Test("a grid clips text at its edges and keeps wide glyphs whole")
    func gridClipping() {
        var grid = CellGrid(width: 6, height: 2)
        #expect(grid.put("ab🔒cd", x: 0, y: 0) == 6)
        #expect(grid.text(row: 0) == "ab🔒cd")
        #expect(grid.put("abcd🔒", x: 1, y: 1) == 6)
        #expect(grid.text(row: 1) == " abcd ")
        grid.put("zz", x: -1, y: 0)
        #expect(grid.text(row: 0) == "zb🔒cd")
        grid.put("x", x: 0, y: 5)
        #expect(grid.locate("🔒c") == GridPoint(x: 2, y: 0))
    }
}
