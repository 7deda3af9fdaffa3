// CurlTransport against a one-shot HTTP server on loopback: headers, body,
// status, the reply size bound, the timeouts and a refused connection.
#include "kiosk/curltransport.h"

#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace imhere::kiosk;

namespace {

// Accepts one connection, records the request, answers `reply` (or nothing).
class OneShotServer {
public:
    explicit OneShotServer(std::string reply) : m_reply(std::move(reply))
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_listener, 1);
        socklen_t len = sizeof addr;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~OneShotServer()
    {
        m_thread.join();
        ::close(m_listener);
    }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/api/v1/kiosk/sync"; }
    [[nodiscard]] const std::string& request() const { return m_request; }

private:
    void serve()
    {
        const int fd = ::accept(m_listener, nullptr, nullptr);
        char buffer[4096];
        while (m_request.find("\r\n\r\n") == std::string::npos || !bodyComplete()) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0)
                break;
            m_request.append(buffer, static_cast<std::size_t>(n));
        }
        if (m_reply.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(700)); // never answers in time
        else
            (void)!::write(fd, m_reply.data(), m_reply.size());
        ::close(fd);
    }
    bool bodyComplete() const
    {
        const auto head = m_request.find("\r\n\r\n");
        const auto at = m_request.find("Content-Length: ");
        if (at == std::string::npos)
            return true;
        const auto length = std::stoul(m_request.substr(at + 16));
        return m_request.size() >= head + 4 + length;
    }

    std::string m_reply;
    std::string m_request;
    int m_listener = -1;
    unsigned short m_port = 0;
    std::thread m_thread;
};

std::string httpReply(int status, const std::string& body)
{
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

class CurlTransportTest : public QObject {
    Q_OBJECT
    CurlGlobal m_curl;

private Q_SLOTS:
    void postsJsonWithTheBearerToken()
    {
        OneShotServer server(httpReply(200, R"({"ok":true})"));
        CurlTransport transport({});
        auto reply = transport.post({server.url(), "secret-token", R"({"protocol":1})"});
        QVERIFY(reply.has_value());
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->body, std::string(R"({"ok":true})"));
        QVERIFY(server.request().starts_with("POST /api/v1/kiosk/sync HTTP/1.1\r\n"));
        QVERIFY(server.request().find("Authorization: Bearer secret-token\r\n") != std::string::npos);
        QVERIFY(server.request().find("Content-Type: application/json\r\n") != std::string::npos);
        QVERIFY(server.request().ends_with(R"({"protocol":1})"));
    }

    void errorStatusesAreValuesNotFailures()
    {
        OneShotServer server(httpReply(429, R"({"error":{"code":"rate_limited","message":"slow down"}})"));
        CurlTransport transport({});
        auto reply = transport.post({server.url(), "t", "{}"});
        QVERIFY(reply.has_value());
        QCOMPARE(reply->status, 429);
    }

    void oversizedRepliesAreRefused()
    {
        OneShotServer server(httpReply(200, std::string(5'000, 'x')));
        CurlTransport::Options options;
        options.maxResponseBytes = 1'000;
        CurlTransport transport(options);
        auto reply = transport.post({server.url(), "t", "{}"});
        QVERIFY(!reply.has_value());
        QCOMPARE(reply.error().code, imhere::Errc::ReplyTooLarge);
    }

    void aSilentServerTimesOut()
    {
        OneShotServer server("");
        CurlTransport::Options options;
        options.totalTimeoutMs = 300;
        CurlTransport transport(options);
        auto reply = transport.post({server.url(), "t", "{}"});
        QVERIFY(!reply.has_value());
        QCOMPARE(reply.error().code, imhere::Errc::Timeout);
    }

    void aRefusedConnectionIsANetworkError()
    {
        std::string url;
        {
            OneShotServer server(httpReply(200, "{}"));
            url = server.url();
            CurlTransport({}).post({url, "t", "{}"}).value();
        }
        CurlTransport transport({});
        auto reply = transport.post({url, "t", "{}"});
        QVERIFY(!reply.has_value());
        QCOMPARE(reply.error().code, imhere::Errc::Network);
    }

    void tlsIsVerified()
    {
        // A server that does not speak TLS at all must fail the handshake,
        // never fall back to plain text.
        OneShotServer server(httpReply(200, "{}"));
        std::string url = server.url();
        url.replace(0, 4, "https");
        CurlTransport::Options options;
        options.totalTimeoutMs = 2'000;
        CurlTransport transport(options);
        QVERIFY(!transport.post({url, "t", "{}"}).has_value());
    }
};

QTEST_GUILESS_MAIN(CurlTransportTest)
#include "curltransporttest.moc"
