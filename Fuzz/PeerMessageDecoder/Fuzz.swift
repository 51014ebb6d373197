// libFuzzer entry point for GridCore's peer-message and metadata decoders. Built outside
// the package by scripts/fuzz-decoder.sh (SwiftPM has no fuzzer products); any input the
// decoders accept must also encode back and decode to the same value.
import GridCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let message = try? WireCodec.decode(bytes) {
        let again = WireCodec.encode(message)
        guard let reread = try? WireCodec.decode(again), WireCodec.encode(reread) == again else {
            fatalError("a decoded message does not survive a round trip")
        }
    }
    if let metadata = try? WireCodec.decodeMetadata(bytes) {
        let again = WireCodec.encode(metadata)
        guard (try? WireCodec.decodeMetadata(again)) != nil else {
            fatalError("decoded metadata does not survive a round trip")
        }
    }
    return 0
}
