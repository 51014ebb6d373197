import Foundation
import GridCore
import Hummingbird

/// `/items`: writes, reads and deletes of items.
struct ItemRoutes {
    let api: any NodeAPI
    let limits: RequestLimits

    func register(on router: Router<BasicRequestContext>) {
        router.post("items") { request, _ in try await write(request) }
        router.get("items/:pk") { _, context in try await read(context, exact: false) }
        router.get("items/:pk/:rk") { _, context in try await read(context, exact: true) }
        router.delete("items/:pk") { _, context in try await delete(context, exact: false) }
        router.delete("items/:pk/:rk") { _, context in try await delete(context, exact: true) }
    }

    private var mapping: ClientResponseMapping { ClientResponseMapping(api: api) }

    private func write(_ request: Request) async throws -> Response {
        guard let body = try await JSONBody.decode(WriteItemBody.self, from: request, limit: limits.bodyBytes) else {
            throw APIError.malformed("the body is empty")
        }
        let key = try validKey(body.partitionKey, body.rangeKey)
        guard body.message.utf8.count <= limits.valueBytes else {
            throw APIError.tooLarge("value_too_large", "message is over \(limits.valueBytes) bytes")
        }
        return try await mapping.response(to: await api.submit(.write(key: key, mutation: .put(body.message))))
    }

    private func read(_ context: BasicRequestContext, exact: Bool) async throws -> Response {
        let key = try pathKey(context, exact: exact)
        let answer = await api.submit(.read(partitionKey: key.partitionKey, rangeKey: key.rangeKey))
        return try await mapping.response(to: answer, exactKey: exact ? key : nil)
    }

    private func delete(_ context: BasicRequestContext, exact: Bool) async throws -> Response {
        let key = try pathKey(context, exact: exact)
        return try await mapping.response(
            to: await api.submit(.write(key: key, mutation: exact ? .delete : .deleteAll)))
    }

    /// Keys in paths are percent-encoded, so any key (one with a `/` in it included) can
    /// be addressed.
    private func pathKey(_ context: BasicRequestContext, exact: Bool) throws -> ItemKey {
        let partitionKey = try decoded(context.parameters.get("pk"))
        let rangeKey = exact ? try decoded(context.parameters.get("rk")) : nil
        return try validKey(partitionKey, rangeKey)
    }

    private func decoded(_ component: String?) throws -> String {
        guard let component, let text = component.removingPercentEncoding else {
            throw APIError.invalid("the key in the path is not validly percent-encoded")
        }
        return text
    }

    private func validKey(_ partitionKey: String, _ rangeKey: String?) throws -> ItemKey {
        guard !partitionKey.isEmpty else { throw APIError.invalid("partition_key must not be empty") }
        guard partitionKey.utf8.count <= limits.keyBytes else {
            throw APIError.tooLarge("key_too_large", "partition_key is over \(limits.keyBytes) bytes")
        }
        if let rangeKey {
            // An empty range key could be written but never addressed by a path.
            guard !rangeKey.isEmpty else { throw APIError.invalid("range_key must not be empty; leave it out instead") }
            guard rangeKey.utf8.count <= limits.keyBytes else {
                throw APIError.tooLarge("key_too_large", "range_key is over \(limits.keyBytes) bytes")
            }
        }
        return ItemKey(partitionKey: partitionKey, rangeKey: rangeKey)
    }
}
