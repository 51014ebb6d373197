import Foundation
import Hummingbird

/// Reads and decodes a JSON body within the size limit.
enum JSONBody {
    static func decode<Body: Decodable>(
        _ type: Body.Type, from request: Request, limit: Int, allowEmpty: Bool = false
    ) async throws -> Body? {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge("body_too_large", "the request body is over \(limit) bytes")
        } catch {
            // NIO's parser failed inside the body (a bad chunk, or the client stopped sending
            // before the end): the client's error, not the node's.
            throw APIError.malformed("the request body is not validly framed")
        }
        if buffer.readableBytes == 0 && allowEmpty { return nil }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.dataCorrupted {
            throw APIError.malformed("the body is not valid JSON")
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.invalid("\"\(key.stringValue)\" is required")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.invalid("\"\(field)\" has the wrong type")
        } catch {
            throw APIError.malformed("the body is not valid JSON")
        }
    }
}
