import Hummingbird

/// `/admin/...`: stopping the node and slowing its acknowledgments down.
struct AdminRoutes {
    let api: any NodeAPI
    let limits: RequestLimits
    let node: String

    func register(on admin: RouterGroup<BasicRequestContext>) {
        admin.post("admin/shutdown") { request, _ in try await shutdown(request) }
        admin.post("admin/ack-delay") { request, _ in try await acknowledgmentDelay(request) }
    }

    private func shutdown(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(
            ShutdownBody.self, from: request, limit: limits.bodyBytes, allowEmpty: true)
        guard let mode = StopMode(rawValue: body?.mode ?? StopMode.graceful.rawValue) else {
            throw APIError.invalid("mode must be \"graceful\" or \"crash\"")
        }
        var response = JSONResponse.make(ShutdownAccepted(mode: mode.rawValue, node: node), status: .accepted)
        let api = api
        let answer = response.body
        // The node stops only once this answer has been written, so a crash never cuts it off.
        response.body = ResponseBody { writer in
            try await answer.write(writer)
            Task { await api.stop(mode: mode) }
        }
        return response
    }

    private func acknowledgmentDelay(_ request: Request) async throws -> Response {
        guard let body = try await JSONBody.decode(AcknowledgmentDelayBody.self, from: request, limit: limits.bodyBytes)
        else { throw APIError.malformed("the body is empty") }
        guard body.ms >= 0, body.ms <= 600_000 else { throw APIError.invalid("ms must be between 0 and 600000") }
        await api.setAcknowledgmentDelay(body.ms)
        return JSONResponse.make(AcknowledgmentDelaySet(ackDelayMilliseconds: body.ms, node: node))
    }
}
