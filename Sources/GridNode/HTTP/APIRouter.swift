import Hummingbird

/// The node's HTTP API: every route, the JSON error shape, and the token on admin routes.
enum APIRouter {
    static func make(
        api: any NodeAPI, token: String?, limits: RequestLimits, node: String
    )
        -> Router<BasicRequestContext>
    {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        let admin = router.group().add(middleware: BearerTokenMiddleware(token: token))
        ItemRoutes(api: api, limits: limits).register(on: router)
        ClusterRoutes(api: api, limits: limits).register(on: router, admin: admin)
        AdminRoutes(api: api, limits: limits, node: node).register(on: admin)
        return router
    }
}
