/// One HTTP/1.1 response as it left the server's pipeline.
struct WireResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Splits the bytes the server wrote into responses, by HTTP/1.1's own framing: a status
/// line, headers, then a body framed by Content-Length or chunked encoding (none after a
/// HEAD request). Anything a client could not frame is a failure, so the server's output
/// is checked byte for byte, not only what Hummingbird meant to send.
struct WireReader {
    let bytes: [UInt8]
    private(set) var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    /// The next response, nil when the output is used up. `headRequest` tells that the
    /// request answered was a HEAD, whose response has no body whatever its headers say.
    mutating func next(headRequest: Bool) throws(WireError) -> WireResponse? {
        guard !atEnd else { return nil }
        let statusLine = try line()
        let fields = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 2, fields[0] == "HTTP/1.1" || fields[0] == "HTTP/1.0", fields[1].count == 3,
            let status = Int(fields[1]), (100...599).contains(status)
        else { throw WireError("no status line: \(statusLine.debugDescription)") }
        var response = WireResponse(status: status, headers: [], body: [])
        while true {
            let header = try line()
            if header.isEmpty { break }
            guard let colon = header.firstIndex(of: ":") else { throw WireError("a header without a colon: \(header)") }
            response.headers.append(
                (String(header[..<colon]), header[header.index(after: colon)...].trimmingSpaces()))
        }
        if headRequest || status / 100 == 1 || status == 204 || status == 304 { return response }
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            response.body = try chunkedBody()
        } else if let length = response.header("content-length") {
            guard let count = Int(length), count >= 0, count <= bytes.count - index else {
                throw WireError("Content-Length \(length) with \(bytes.count - index) bytes left")
            }
            response.body = Array(bytes[index..<index + count])
            index += count
        } else {
            response.body = Array(bytes[index...])
            index = bytes.count
        }
        return response
    }

    private mutating func chunkedBody() throws(WireError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try line()
            guard let size = Int(sizeLine.prefix { $0 != ";" }, radix: 16), size >= 0, size <= bytes.count - index
            else { throw WireError("a bad chunk size line: \(sizeLine.debugDescription)") }
            if size == 0 {
                // Trailers, then the empty line.
                while try !line().isEmpty {}
                return body
            }
            body += bytes[index..<index + size]
            index += size
            guard try line().isEmpty else { throw WireError("a chunk not followed by CRLF") }
        }
    }

    private mutating func line() throws(WireError) -> String {
        var end = index
        while end + 1 < bytes.count, !(bytes[end] == 13 && bytes[end + 1] == 10) { end += 1 }
        guard end + 1 < bytes.count else { throw WireError("the output ends inside a line") }
        defer { index = end + 2 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }
}

struct WireError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
