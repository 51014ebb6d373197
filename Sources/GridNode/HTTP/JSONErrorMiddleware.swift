import Hummingbird

/// Turns every error, Hummingbird's own included (unknown route, oversized body), into the
/// API's JSON error shape, so that no client ever has to parse two kinds of error.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as any HTTPResponseError {
            return Self.translate(error.status).response()
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return APIError.internalError.response()
        }
    }

    static func translate(_ status: HTTPResponse.Status) -> APIError {
        switch status {
        case .notFound: .notFound
        case .contentTooLarge: .tooLarge("body_too_large", "the request body is too large")
        case .badRequest: .malformed("the request is malformed")
        case .unauthorized: .unauthorized
        case .methodNotAllowed: APIError(.methodNotAllowed, code: "method_not_allowed", "method not allowed here")
        default: APIError(status, code: "http_\(status.code)", status.reasonPhrase)
        }
    }
}
