import GridCore
import Hummingbird

/// `/cluster/...` and `/metrics`: what operators and the console read, and resizing.
struct ClusterRoutes {
    let api: any NodeAPI
    let limits: RequestLimits

    func register(on router: Router<BasicRequestContext>, admin: RouterGroup<BasicRequestContext>) {
        router.get("cluster/status") { _, _ in JSONResponse.make(await api.status()) }
        router.get("cluster/topology") { _, _ in JSONResponse.make(Topology(await api.status())) }
        router.get("cluster/events") { _, _ in EventStream.response(api.events()) }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: api.metricsExposition())))
        }
        admin.post("cluster/resize") { request, _ in try await resize(request) }
    }

    private func resize(_ request: Request) async throws -> Response {
        guard let body = try await JSONBody.decode(ResizeBody.self, from: request, limit: limits.bodyBytes) else {
            throw APIError.malformed("the body is empty")
        }
        let answer = await api.submit(.resize(size: body.size, expectedVersion: body.expectedVersion))
        return try await ClientResponseMapping(api: api).response(to: answer)
    }
}
