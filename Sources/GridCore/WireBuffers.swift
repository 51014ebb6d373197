/// A value that `WireCodec` can write and read back.
///
/// Strings and collections are not conformers: each use picks its own length limit, so
/// the reader takes the limit from the field rather than from the type.
protocol WireCodable {
    func write(to writer: inout WireWriter)
    init(from reader: inout WireReader) throws(WireError)
}

/// Appends the codec's primitives to a growing byte array.
struct WireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func writeByte(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func writeBytes(_ newBytes: some Sequence<UInt8>) {
        bytes.append(contentsOf: newBytes)
    }

    /// LEB128: small numbers, which most fields hold, take one byte.
    mutating func writeUnsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Zigzag first, so that small negative numbers stay short too.
    mutating func writeSigned(_ value: Int64) {
        writeUnsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func writeInt(_ value: Int) {
        writeSigned(Int64(value))
    }

    mutating func writeBool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func writeString(_ value: String) {
        writeUnsigned(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func write(_ value: some WireCodable) {
        value.write(to: &self)
    }

    mutating func writeOptional<Value>(_ value: Value?, _ writeValue: (inout WireWriter, Value) -> Void) {
        guard let value else { return writeBool(false) }
        writeBool(true)
        writeValue(&self, value)
    }

    mutating func writeOptional(_ value: (some WireCodable)?) {
        writeOptional(value) { writer, value in writer.write(value) }
    }

    mutating func writeArray(_ values: [some WireCodable]) {
        writeUnsigned(UInt64(values.count))
        for value in values { write(value) }
    }

    /// Keys go in ascending order, each after the first as its distance from the one
    /// before: the bytes do not depend on the dictionary's iteration order, and runs of
    /// neighbouring partitions cost one byte a key.
    mutating func writePartitionMap(_ map: [PartitionID: some WireCodable]) {
        writeUnsigned(UInt64(map.count))
        var previous: Int64?
        // Sorting the keys alone moves no values, whose arrays would each be retained.
        for partition in map.keys.sorted() {
            let key = Int64(partition)
            if let previous {
                writeUnsigned(UInt64(bitPattern: key &- previous))
            } else {
                writeSigned(key)
            }
            previous = key
            write(map[partition]!)
        }
    }
}

/// Reads the codec's primitives from a byte array, checking every length and value
/// against what remains before it trusts it.
///
/// Decoding is canonical: for each value exactly one byte sequence is accepted, the one
/// `WireWriter` produces. Overlong varints, booleans other than 0 and 1, and unsorted map
/// keys are errors, so equal messages always have equal bytes.
struct WireReader {
    private let bytes: [UInt8]
    private var position: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    var remainingCount: Int { bytes.endIndex - position }

    func expectEnd() throws(WireError) {
        guard remainingCount == 0 else {
            throw WireError(.trailingBytes, "\(remainingCount) bytes follow a complete value")
        }
    }

    mutating func readByte() throws(WireError) -> UInt8 {
        guard position < bytes.endIndex else { throw WireError(.truncated, "input ends inside a value") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readUnsigned() throws(WireError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            // The tenth byte holds the 64th bit alone; anything more would overflow.
            if shift == 63 && byte > 1 { throw WireError(.invalidValue, "varint exceeds 64 bits") }
            if shift > 0 && byte == 0 { throw WireError(.invalidValue, "varint is not minimally encoded") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func readUInt32() throws(WireError) -> UInt32 {
        let value = try readUnsigned()
        guard let narrowed = UInt32(exactly: value) else { throw WireError(.invalidValue, "\(value) exceeds 32 bits") }
        return narrowed
    }

    mutating func readSigned() throws(WireError) -> Int64 {
        let value = try readUnsigned()
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    mutating func readInt() throws(WireError) -> Int {
        let value = try readSigned()
        guard let narrowed = Int(exactly: value) else { throw WireError(.invalidValue, "\(value) exceeds Int") }
        return narrowed
    }

    mutating func readBool() throws(WireError) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let byte: throw WireError(.invalidValue, "\(byte) is not a boolean")
        }
    }

    mutating func readString(maximumBytes: Int) throws(WireError) -> String {
        let count = try readLength(maximum: maximumBytes, of: "string")
        let end = position + count
        guard let string = String(validating: bytes[position..<end], as: UTF8.self) else {
            throw WireError(.invalidUTF8, "string of \(count) bytes is not valid UTF-8")
        }
        position = end
        return string
    }

    mutating func read<Value: WireCodable>() throws(WireError) -> Value {
        try Value(from: &self)
    }

    mutating func readOptional<Value>(
        _ readValue: (inout WireReader) throws(WireError) -> Value
    ) throws(WireError) -> Value? {
        guard try readBool() else { return nil }
        return try readValue(&self)
    }

    mutating func readOptional<Value: WireCodable>() throws(WireError) -> Value? {
        try readOptional { reader throws(WireError) in try reader.read() }
    }

    mutating func readArray<Element: WireCodable>(maximumCount: Int) throws(WireError) -> [Element] {
        let count = try readLength(maximum: maximumCount, of: "list")
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try read()) }
        return elements
    }

    mutating func readPartitionMap<Value: WireCodable>() throws(WireError) -> [PartitionID: Value] {
        let count = try readLength(maximum: WireCodec.maximumPartitions, of: "partition map")
        var map: [PartitionID: Value] = [:]
        map.reserveCapacity(count)
        var previous: Int64?
        for _ in 0..<count {
            let key: Int64
            if let previous {
                let distance = try readUnsigned()
                // Zero would repeat a key; more than the headroom above `previous` would
                // wrap past Int64.max. The headroom's bit pattern is exact as a UInt64.
                guard distance > 0, distance <= UInt64(bitPattern: Int64.max &- previous) else {
                    throw WireError(.invalidValue, "partition map keys are not strictly ascending")
                }
                key = previous &+ Int64(bitPattern: distance)
            } else {
                key = try readSigned()
            }
            guard let partition = PartitionID(exactly: key) else {
                throw WireError(.invalidValue, "partition \(key) exceeds Int")
            }
            map[partition] = try read()
            previous = key
        }
        return map
    }

    /// A declared length, checked against its limit and then against the bytes left, so
    /// that a short packet claiming a huge count fails before anything is allocated. Every
    /// element takes at least one byte, which makes the remaining count a sound bound.
    private mutating func readLength(maximum: Int, of kind: String) throws(WireError) -> Int {
        let count = try readUnsigned()
        guard count <= UInt64(maximum) else {
            throw WireError(.tooLarge, "\(kind) of \(count) exceeds the limit of \(maximum)")
        }
        guard count <= UInt64(remainingCount) else {
            throw WireError(.truncated, "\(kind) of \(count) exceeds the \(remainingCount) bytes left")
        }
        return Int(count)
    }
}
