/// Why a write was refused with a 503 (definitely not applied).
public enum RejectedWrite: String, Sendable, CaseIterable {
    case locked
    case unavailable
}
