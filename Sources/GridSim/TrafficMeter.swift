import GridCore

/// What simulated nodes put on the wire, by encoded size, for the benchmarks. It also
/// keeps a datagram over the limit from being delivered, as a real shell refuses to send
/// one (the receiver would drop it anyway).
struct TrafficMeter {
    /// Bytes sent while `isCounting`: gossip, gossip replies, announcements and refusals
    /// (datagrams), and everything else (the peer stream).
    private(set) var datagramBytes = 0
    private(set) var streamBytes = 0
    /// The largest datagram any node tried to send, counted or not, and what it was.
    private(set) var largestDatagram = 0
    private(set) var largestDatagramKind = ""
    private(set) var oversizedDatagrams = 0
    var isCounting = false
    /// A gossip round sends one message to several peers: it is encoded once.
    private var lastMessage: PeerMessage?
    private var lastSize = 0

    /// Meters one message; false when it is too large to be sent.
    mutating func admit(_ message: PeerMessage) -> Bool {
        let isDatagram = !message.travelsOnStream
        // Stream messages are only ever counted, and encoding them is most of a run's cost.
        guard isDatagram || isCounting else { return true }
        let bytes = size(of: message)
        guard isDatagram else {
            streamBytes += bytes
            return true
        }
        if bytes > largestDatagram {
            largestDatagram = bytes
            largestDatagramKind = Self.kind(of: message)
        }
        guard bytes <= WireCodec.maximumDatagramBytes else {
            oversizedDatagrams += 1
            return false
        }
        if isCounting { datagramBytes += bytes }
        return true
    }

    private mutating func size(of message: PeerMessage) -> Int {
        if message != lastMessage {
            lastMessage = message
            lastSize = WireCodec.encode(message).count
        }
        return lastSize
    }

    private static func kind(of message: PeerMessage) -> String {
        switch message {
        case .gossip: "gossip"
        case .gossipReply: "gossip reply"
        case .announce: "announcement"
        case .refuse: "refusal"
        default: "stream message"
        }
    }
}
