#include "httpserver.h"

#include "securecookies.h"
#include "tlsnative.h"

#include <algorithm>
#include <strings.h>

#include "sync-server/serverlimits.h"

#include "core/limits.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <functional>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

namespace imhere::server {

// The router, and the count of deferred replies not yet sent (suspended, or
// resumed and still being answered): stop() waits for them, because MHD
// forbids stopping with a suspended connection and a resumed one would be
// closed unanswered.
struct HttpServer::Dispatch {
    explicit Dispatch(const Router& r) : router(r) {}
    const Router& router;
    std::function<void(const Exchange&)> onAnswered; // set before the daemon starts
    TrustedProxies trustedProxies;                   // likewise
    std::mutex mutex;
    std::condition_variable settled;
    std::size_t deferred = 0;
    bool stopping = false;
    // Bodies over limits::k_largeBodyBytes (or of unknown length) being read.
    std::atomic<unsigned> largeBodies = 0;
    bool secure = false; // HTTPS here or at a proxy in front; set before the daemon starts

    // The certificate handshakes use, swapped by reloadTls(). Those it
    // replaced stay alive until the server is destroyed: GnuTLS keeps
    // pointers into them for sessions already under way (reloads are rare).
    std::optional<TlsFiles> tlsFiles;
    std::mutex tlsMutex;
    std::shared_ptr<const TlsCertificate> certificate;
    std::vector<std::shared_ptr<const TlsCertificate>> retiredCertificates;
};

namespace {

using Dispatch = HttpServer::Dispatch;

// Lives from the first callback of a request to its completion notice.
struct PendingRequest {
    explicit PendingRequest(const Router& r) : router(r) {}
    const Router& router;
    Request request;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    int status = 0; // of the answer queued, 0 before
    const Route* route = nullptr;
    bool tooLarge = false;
    bool largeBody = false;           // holds one of Dispatch::largeBodies until its completion notice
    std::optional<Deferred> deferred; // set while the connection is suspended for it
    bool counted = false;             // in Dispatch::deferred until its completion notice
};

struct ResponseDeleter {
    void operator()(MHD_Response* r) const { MHD_destroy_response(r); }
};

// Handlers return errors as values; an exception reaching here is a defect,
// and the client still gets a well-formed answer.
template <class F>
Response guarded(F&& make)
{
    try {
        return make();
    } catch (const std::exception& e) {
        return errorResponse(Error{Errc::Internal, e.what()});
    }
}

MHD_Result send(MHD_Connection* connection, PendingRequest& pending, const Response& answer)
{
    // A browser gets an error as a page, a JSON client as JSON.
    std::optional<Response> page;
    try {
        page = pending.router.pageInsteadOf(pending.request, answer);
    } catch (const std::exception&) {
        page.reset(); // the JSON error, then
    }
    const Response& response = page ? *page : answer;
    pending.status = response.status;
    std::unique_ptr<MHD_Response, ResponseDeleter> r(MHD_create_response_from_buffer(
        response.body.size(), const_cast<char*>(response.body.data()), MHD_RESPMEM_MUST_COPY));
    if (!r)
        return MHD_NO;
    if (!response.contentType.empty()) // none for 204 and 304
        MHD_add_response_header(r.get(), MHD_HTTP_HEADER_CONTENT_TYPE, response.contentType.c_str());
    MHD_add_response_header(r.get(), "X-Content-Type-Options", "nosniff");
    // Nothing is cached unless the response says how (the public API does).
    const bool cacheSaid = std::ranges::any_of(response.headers, [](const auto& h) {
        return h.first.size() == 13 && strncasecmp(h.first.c_str(), "cache-control", 13) == 0;
    });
    if (!cacheSaid)
        MHD_add_response_header(r.get(), "Cache-Control", "no-store");
    for (const auto& [name, value] : response.headers) {
        if (pending.request.secure && name == "Set-Cookie")
            MHD_add_response_header(r.get(), name.c_str(), secureSetCookie(value).c_str());
        else
            MHD_add_response_header(r.get(), name.c_str(), value.c_str());
    }
    if (pending.request.secure)
        MHD_add_response_header(r.get(), "Strict-Transport-Security",
                                ("max-age=" + std::to_string(limits::k_hstsMaxAgeSec)).c_str());
    return MHD_queue_response(connection, static_cast<unsigned>(response.status), r.get());
}

MHD_Result collectHeader(void* cls, MHD_ValueKind, const char* key, const char* value)
{
    auto* headers = static_cast<std::map<std::string, std::string, std::less<>>*>(cls);
    std::string name(key);
    for (char& c : name)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    (*headers)[name] = value ? value : "";
    return MHD_YES;
}

MHD_Result collectQuery(void* cls, MHD_ValueKind, const char* key, const char* value)
{
    auto* query = static_cast<std::map<std::string, std::string, std::less<>>*>(cls);
    query->emplace(key, value ? value : "");
    return MHD_YES;
}

std::string remoteAddress(MHD_Connection* connection)
{
    const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return {};
    char text[INET6_ADDRSTRLEN] = {};
    if (info->client_addr->sa_family == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(info->client_addr);
        inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    } else if (info->client_addr->sa_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(info->client_addr);
        inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    }
    return text;
}


// An answer queued before the announced body is read: MHD then reads none
// of it (no "100 Continue" is sent), and the connection is closed after it.
MHD_Result refuse(MHD_Connection* connection, std::unique_ptr<PendingRequest> pending, void** state, Response response)
{
    response.withHeader("Connection", "close");
    auto& answered = *pending;
    *state = pending.release();
    return send(connection, answered, response);
}

// First call for a request: match the route, then, before a byte of the body
// is read, refuse an oversized one from its Content-Length, a caller the
// route does not admit, and a large body beyond the number read at once.
MHD_Result begin(Dispatch& dispatch, MHD_Connection* connection, const char* url, const char* method,
                 void** state)
{
    const Router& router = dispatch.router;
    auto pending = std::make_unique<PendingRequest>(dispatch.router);
    pending->request.method = method;
    pending->request.path = url;
    pending->request.secure = dispatch.secure;
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collectHeader, &pending->request.headers);
    // Every per-address limit counts the client, not the proxy before it.
    pending->request.remoteIp = dispatch.trustedProxies.clientAddress(
        remoteAddress(connection), pending->request.header("forwarded"), pending->request.header("x-forwarded-for"));
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collectQuery, &pending->request.query);

    // MHD's memory pool is a hard cap with room for its buffers; the
    // header limit of DESIGN §6 is checked exactly here.
    std::size_t headerBytes = pending->request.path.size();
    for (const auto& [name, value] : pending->request.query)
        headerBytes += name.size() + value.size() + 2;
    for (const auto& [name, value] : pending->request.headers)
        headerBytes += name.size() + value.size() + 4;
    if (headerBytes > imhere::limits::k_maxHeaderBytes) {
        auto& answered = *pending;
        *state = pending.release();
        return send(connection, answered, errorResponse(431, "headers_too_large",
                                              "request headers larger than "
                                                  + std::to_string(imhere::limits::k_maxHeaderBytes) + " bytes"));
    }

    auto matched = router.match(pending->request.method, pending->request.path);
    if (auto* error = std::get_if<Response>(&matched)) {
        auto& answered = *pending;
        *state = pending.release();
        return send(connection, answered, *error);
    }
    auto& m = std::get<RouteMatch>(matched);
    pending->route = m.route;
    pending->request.params = std::move(m.params);

    std::uint64_t announced = 0;
    const bool chunked = pending->request.header("transfer-encoding").has_value();
    if (const auto length = pending->request.header("content-length")) {
        const auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), announced);
        if (ec != std::errc{} || end != length->data() + length->size() || announced > pending->route->maxBodyBytes)
            return refuse(connection, std::move(pending), state,
                          errorResponse(413, "too_large",
                                        "request body larger than " + std::to_string(m.route->maxBodyBytes)
                                            + " bytes"));
    }
    if (announced == 0 && !chunked) {
        *state = pending.release();
        return MHD_YES;
    }
    if (pending->route->admit && *pending->route->admit) {
        std::optional<Response> refused;
        try {
            refused = (*pending->route->admit)(pending->request);
        } catch (const std::exception& e) {
            refused = errorResponse(Error{Errc::Internal, e.what()});
        }
        if (refused)
            return refuse(connection, std::move(pending), state, std::move(*refused));
    }
    if (chunked || announced > limits::k_largeBodyBytes) {
        if (dispatch.largeBodies.fetch_add(1) >= limits::k_maxLargeBodiesAtOnce) {
            dispatch.largeBodies.fetch_sub(1);
            Response busy = errorResponse(503, "unavailable", "too many large requests at once; try again shortly");
            busy.withHeader("Retry-After", "1");
            return refuse(connection, std::move(pending), state, std::move(busy));
        }
        pending->largeBody = true;
    }
    pending->request.body.reserve(static_cast<std::size_t>(announced));
    *state = pending.release();
    return MHD_YES;
}

// Sets the connection aside until the deferred reply is ready; MHD calls
// onRequest again once it is resumed. While the server is stopping, the
// reply is awaited on this thread instead.
MHD_Result defer(Dispatch& dispatch, MHD_Connection* connection, PendingRequest& pending, Deferred deferred)
{
    bool stopping = false;
    {
        std::lock_guard lock(dispatch.mutex);
        stopping = dispatch.stopping;
        if (!stopping)
            ++dispatch.deferred;
    }
    if (stopping) {
        auto ready = std::make_shared<std::promise<void>>();
        auto done = ready->get_future();
        deferred.start([ready] { ready->set_value(); });
        done.wait();
        return send(connection, pending, guarded([&] { return deferred.finish(); }));
    }
    pending.counted = true;
    MHD_suspend_connection(connection);
    pending.deferred = std::move(deferred);
    pending.deferred->start([connection] { MHD_resume_connection(connection); });
    return MHD_YES;
}

MHD_Result onRequest(void* cls, MHD_Connection* connection, const char* url, const char* method, const char*,
                     const char* uploadData, size_t* uploadSize, void** state)
{
    auto& dispatch = *static_cast<Dispatch*>(cls);
    if (!*state)
        return begin(dispatch, connection, url, method, state);
    auto& pending = *static_cast<PendingRequest*>(*state);
    if (!pending.route)
        return MHD_YES; // an error was queued on the first call
    if (*uploadSize > 0) {
        if (pending.request.body.size() + *uploadSize > pending.route->maxBodyBytes) {
            // A chunked body grew past the limit. MHD cannot queue a response
            // in the middle of an upload, so the connection is closed instead
            // of reading the rest.
            pending.tooLarge = true;
            return MHD_NO;
        }
        pending.request.body.append(uploadData, *uploadSize);
        *uploadSize = 0;
        return MHD_YES;
    }
    if (pending.deferred) {
        // Resumed: the work the reply waited for is done.
        Deferred deferred = std::move(*pending.deferred);
        pending.deferred.reset();
        return send(connection, pending, guarded([&] { return deferred.finish(); }));
    }
    std::optional<Deferred> deferred;
    const Response response = guarded([&] {
        Reply reply = pending.route->handler(pending.request);
        if (auto* later = std::get_if<Deferred>(&reply)) {
            deferred = std::move(*later);
            return Response{};
        }
        return std::move(std::get<Response>(reply));
    });
    if (deferred)
        return defer(dispatch, connection, pending, std::move(*deferred));
    return send(connection, pending, response);
}

void onCompleted(void* cls, MHD_Connection*, void** state, MHD_RequestTerminationCode)
{
    std::unique_ptr<PendingRequest> pending(static_cast<PendingRequest*>(*state));
    *state = nullptr;
    auto& dispatch = *static_cast<Dispatch*>(cls);
    if (pending && pending->status != 0 && dispatch.onAnswered) {
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - pending->started;
        dispatch.onAnswered(Exchange{pending->route ? std::string_view(pending->route->pattern) : std::string_view(),
                                     pending->status, took.count()});
    }
    if (pending && pending->largeBody)
        dispatch.largeBodies.fetch_sub(1);
    if (pending && pending->counted) {
        std::lock_guard lock(dispatch.mutex);
        if (--dispatch.deferred == 0)
            dispatch.settled.notify_all();
    }
}

// Every connection carries the dispatch, so that the certificate callback,
// which MHD calls with the GnuTLS session only, can find it.
void onConnection(void* cls, MHD_Connection*, void** socketContext, MHD_ConnectionNotificationCode code)
{
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        *socketContext = cls;
}

// GnuTLS asks for the server's certificate during each handshake: the one
// loaded last.
int certificateFor(gnutls_session_t session, const gnutls_datum_t*, int, const gnutls_pk_algorithm_t*, int,
                   gnutls_pcert_st** chain, unsigned int* chainLength, gnutls_privkey_t* key)
{
    auto* connection = static_cast<MHD_Connection*>(gnutls_session_get_ptr(session));
    const auto* info = connection ? MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT) : nullptr;
    if (!info || !info->socket_context)
        return -1;
    auto& dispatch = *static_cast<Dispatch*>(info->socket_context);
    std::lock_guard lock(dispatch.tlsMutex);
    if (!dispatch.certificate)
        return -1;
    TlsCertificate::Native& native = dispatch.certificate->native();
    *chain = native.chain;
    *chainLength = native.chainLength;
    *key = native.key;
    return 0;
}

} // namespace

bool HttpServer::servesTls() const
{
    return m_dispatch->tlsFiles.has_value();
}

Result<void> HttpServer::reloadTls()
{
    if (!m_dispatch->tlsFiles)
        return fail(Errc::BadConfig, "not serving HTTPS: no certificate to reload");
    TRY_ASSIGN(loaded, TlsCertificate::load(*m_dispatch->tlsFiles));
    std::lock_guard lock(m_dispatch->tlsMutex);
    if (m_dispatch->certificate)
        m_dispatch->retiredCertificates.push_back(std::move(m_dispatch->certificate));
    m_dispatch->certificate = std::move(loaded);
    return {};
}

void HttpServer::DaemonStopper::operator()(MHD_Daemon* d) const
{
    MHD_stop_daemon(d);
}

HttpServer::HttpServer(const Router& router) : m_dispatch(std::make_unique<Dispatch>(router)) {}

HttpServer::~HttpServer()
{
    stop();
}

Result<void> HttpServer::start(const HttpServerOptions& options)
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(options.port);
    if (inet_pton(AF_INET, options.host.c_str(), &address.sin_addr) != 1)
        return fail(Errc::InvalidListen, "cannot listen on '" + options.host + "': expected an IPv4 address");

    const unsigned threads = options.threads ? std::min(options.threads, limits::k_maxThreads)
                                             : limits::k_defaultThreads;
    const unsigned timeout = options.connectionTimeoutSec ? options.connectionTimeoutSec
                                                          : limits::k_connectionTimeoutSec;
    m_dispatch->stopping = false;
    m_dispatch->onAnswered = options.onAnswered;
    m_dispatch->trustedProxies = options.trustedProxies;
    m_dispatch->secure = options.tls.has_value() || options.behindTlsProxy;
    m_dispatch->tlsFiles = options.tls;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    std::vector<MHD_OptionItem> tlsOptions;
    if (options.tls) {
        TRY(reloadTls());
        flags |= MHD_USE_TLS;
        tlsOptions.push_back({MHD_OPTION_HTTPS_CERT_CALLBACK, 0, reinterpret_cast<void*>(&certificateFor)});
    }
    tlsOptions.push_back({MHD_OPTION_END, 0, nullptr});
    MHD_Daemon* daemon = MHD_start_daemon(
        flags, 0, nullptr, nullptr, onRequest,
        m_dispatch.get(), MHD_OPTION_SOCK_ADDR, &address, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, limits::k_maxConnections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        limits::k_maxConnectionsPerIp, MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        limits::k_connectionMemoryBytes, MHD_OPTION_NOTIFY_COMPLETED, onCompleted, m_dispatch.get(),
        MHD_OPTION_NOTIFY_CONNECTION, onConnection, m_dispatch.get(), MHD_OPTION_ARRAY, tlsOptions.data(),
        MHD_OPTION_END);
    if (!daemon)
        return fail(Errc::ListenFailed, "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": "
                                         + std::strerror(errno));
    m_daemon.reset(daemon);
    const auto* info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    m_port = info ? info->port : options.port;
    return {};
}

void HttpServer::stop()
{
    if (!m_daemon)
        return;
    // Replies already deferred are sent before the daemon stops; requests
    // that arrive meanwhile are answered on their worker (see defer). The
    // listener stays open until then: MHD_quiesce_daemon would close it
    // first, but with epoll and a thread pool it races each worker's own
    // removal of the listen socket from its epoll set, and the loser aborts
    // the process.
    {
        std::unique_lock lock(m_dispatch->mutex);
        m_dispatch->stopping = true;
        m_dispatch->settled.wait(lock, [this] { return m_dispatch->deferred == 0; });
    }
    m_daemon.reset();
}

Result<HttpServerOptions> parseListen(std::string_view listen)
{
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos)
        return fail(Errc::InvalidListen, "expected HOST:PORT, got '" + std::string(listen) + "'");
    HttpServerOptions options;
    options.host = std::string(listen.substr(0, colon));
    if (options.host == "localhost")
        options.host = "127.0.0.1";
    const auto portText = listen.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc{} || end != portText.data() + portText.size() || port > 65535)
        return fail(Errc::InvalidListen, "bad port in '" + std::string(listen) + "'");
    options.port = static_cast<std::uint16_t>(port);
    return options;
}

} // namespace imhere::server
