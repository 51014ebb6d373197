/// A peer stream frame declared a length over the limit.
struct FrameTooLarge: Error, Hashable {
    var declared: Int
    var limit: Int
}
