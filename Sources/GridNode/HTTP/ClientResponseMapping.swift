import GridCore
import Hummingbird

/// How NodeCore's answers become HTTP responses. A 503 always means "definitely not
/// applied"; a write whose fate is unknown is a 504, never a 503.
struct ClientResponseMapping {
    let api: any NodeAPI

    func response(to response: ClientResponse, exactKey: ItemKey? = nil) async throws -> Response {
        switch response {
        case .written(let receipt):
            return JSONResponse.make(WriteReceiptBody(receipt))
        case .read(let result):
            if let exactKey, result.items.isEmpty {
                var error = APIError(.notFound, code: "item_not_found", "no item with key \(exactKey)")
                error.partition = result.partition
                error.node = result.node.description
                throw error
            }
            return JSONResponse.make(ReadResultBody(result))
        case .resized(let config):
            return JSONResponse.make(ClusterStatus.Cluster(config))
        case .failed(let failure):
            throw await error(for: failure)
        }
    }

    func error(for failure: ClientFailure) async -> APIError {
        switch failure {
        case .locked(let partition, let retryAfter):
            var error = APIError(
                .serviceUnavailable, code: "partition_locked",
                "partition \(partition) is locked by a leadership handshake; the write was not applied")
            error.partition = partition
            error.retryAfterMilliseconds = retryAfter
            return error
        case .unavailable(let partition, let reason, let leader):
            var error = APIError(.serviceUnavailable, code: "unavailable", reason)
            error.partition = partition
            error.leader = leader?.description
            if let leader { error.leaderHTTP = await api.httpAddress(of: leader) }
            return error
        case .indeterminate(let partition, let reason):
            var error = APIError(
                .gatewayTimeout, code: "write_indeterminate", "\(reason); the write may or may not have been applied")
            error.partition = partition
            return error
        case .resizeRejected(let code, let reason):
            return APIError(.conflict, code: code, reason)
        case .invalid(let reason):
            return APIError.invalid(reason)
        }
    }
}
