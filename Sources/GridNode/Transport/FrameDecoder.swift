import NIOCore

/// Splits a peer stream into frames: a 4-byte big-endian length, then that many bytes.
/// A declared length over the limit is refused before a byte of it is buffered; the
/// stream cannot be resynchronized after that, so the connection is closed.
struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    static let lengthBytes = 4

    let maximumFrameBytes: Int

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length <= maximumFrameBytes else { throw FrameTooLarge(declared: Int(length), limit: maximumFrameBytes) }
        guard buffer.readableBytes >= Self.lengthBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Self.lengthBytes)
        return buffer.readSlice(length: Int(length))
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }

    /// A packet with its length prefix, ready to write.
    static func frame(_ packet: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(lengthBytes + packet.count)
        buffer.writeInteger(UInt32(packet.count))
        buffer.writeBytes(packet)
        return buffer
    }
}
