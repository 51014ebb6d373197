/// Reads one value out of a Prometheus text exposition.
enum MetricsText {
    /// The value of `name` with exactly these labels (`reason="forged"`), or 0 if absent.
    static func value(_ name: String, _ labels: String = "", in text: String) -> Double {
        let series = labels.isEmpty ? name : "\(name){\(labels)}"
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? 0
        }
        return 0
    }
}
