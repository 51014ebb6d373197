import GridCore
import Logging

/// Where the socket handlers hand raw packets. Opening a packet (signature, decoding) runs
/// here, on the event loop that read it, so the node's actor only sees valid messages;
/// those go into the node's inbox in arrival order.
struct InboundSink: Sendable {
    let codec: PacketCodec
    let metrics: NodeMetrics
    let inbox: AsyncStream<Arrival>.Continuation
    let logger: Logger

    func deliver(_ packet: [UInt8], on transport: NodeMetrics.Transport, wireBytes: Int) {
        metrics.received(wireBytes, on: transport)
        switch codec.open(packet) {
        case .success(let message):
            let arrival = Arrival(message: message, transport: transport, time: .now)
            if case .dropped = inbox.yield(arrival) { drop(.inboxFull, transport) }
        case .failure(let reason):
            drop(reason, transport)
        }
    }

    func drop(_ reason: DropReason, _ transport: NodeMetrics.Transport) {
        metrics.drop(reason)
        logger.debug("dropped a packet", metadata: ["reason": "\(reason)", "transport": "\(transport.rawValue)"])
    }
}
