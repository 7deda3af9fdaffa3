// The HTTP layer against a real libmicrohttpd on loopback: health, error
// shape, body and header limits enforced before reading, slow clients, and
// deferred replies (suspended connections).

#include "rawsocket.h"
#include "testserver.h"

#include "tests/support/qtestsupport.h"

#include "sync-server/serverlimits.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

using namespace imhere::test;
using namespace std::chrono_literals;

class HttpServerTest : public QObject {
    Q_OBJECT

private slots:
    void healthzAnswersOk();
    void unknownRoutesAndMethodsGetJsonErrors();
    void oversizedBodyIsRefusedFromContentLengthBeforeItIsSent();
    void syncAllowsFourMebibytesOtherRoutesOne();
    void chunkedBodyPastTheLimitIsCutOff();
    void aBadTokenIsRefusedBeforeTheBodyIsSent_data();
    void aBadTokenIsRefusedBeforeTheBodyIsSent();
    void anAdmittedCallerIsAskedForTheBody();
    void largeBodiesReadAtOnceAreBounded();
    void headersOverSixteenKibibytesAreRefused();
    void aSlowClientIsDroppedAfterTheConnectionTimeout();
    void manyConcurrentClientsAreServed();
    void deferredRepliesDoNotHoldAPoolThread();
    void stopWaitsUntilEveryDeferredReplyIsReady();
    void stopWhileRequestsKeepArriving();
};

void HttpServerTest::healthzAnswersOk()
{
    TestServer server;
    auto r = server.client().get("/healthz");
    QCOMPARE(r.status, 200);
    QVERIFY2(r.json() == nlohmann::json({{"status", "ok"}}), r.body.c_str());
    QCOMPARE(r.header("content-type"), "application/json");
}

void HttpServerTest::unknownRoutesAndMethodsGetJsonErrors()
{
    TestServer server;
    auto client = server.client();
    auto missing = client.get("/api/v1/nothing/here");
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.errorCode(), "not_found");
    auto wrong = client.request("DELETE", "/healthz");
    QCOMPARE(wrong.status, 405);
    QCOMPARE(wrong.errorCode(), "method_not_allowed");
    QCOMPARE(wrong.header("allow"), "GET, HEAD"); // HEAD wherever GET
}

void HttpServerTest::oversizedBodyIsRefusedFromContentLengthBeforeItIsSent()
{
    TestServer server;
    RawSocket s(server.http->port());
    QVERIFY(s.connected());
    // Announce 64 MiB, send none of it: the 413 must come anyway.
    QVERIFY(s.send("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: 67108864\r\n\r\n"));
    const std::string reply = s.readAll(3s);
    QVERIFY2(reply.starts_with("HTTP/1.1 413"), reply.c_str());
    QCOMPARE_NE(reply.find("\"too_large\""), std::string::npos);
    QCOMPARE(server.client().get("/healthz").status, 200);
}

void HttpServerTest::syncAllowsFourMebibytesOtherRoutesOne()
{
    TestServer server;
    auto client = server.client();
    const std::string twoMiB(2 << 20, ' ');
    QCOMPARE(client.json("POST", "/api/v1/login", twoMiB).status, 413);
    // Within the sync limit the body is read; with no token it is a 401.
    QCOMPARE(client.json("POST", "/api/v1/kiosk/sync", twoMiB).status, 401);
    QCOMPARE(client.json("POST", "/api/v1/kiosk/sync", std::string((4 << 20) + 1, ' ')).status, 413);
}

void HttpServerTest::chunkedBodyPastTheLimitIsCutOff()
{
    TestServer server;
    RawSocket s(server.http->port());
    QVERIFY(s.connected());
    QVERIFY(s.send("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk(64 << 10, 'x');
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    for (int i = 0; i < 20 && s.send(size + chunk + "\r\n"); ++i) {
    }
    const std::string reply = s.readAll(3s);
    QVERIFY(s.closedByPeer());
    QCOMPARE(reply.find("HTTP/1.1 200"), std::string::npos);
    QCOMPARE(server.client().get("/healthz").status, 200);
}

namespace {

std::string postHeaders(const std::string& path, const std::string& extra, std::size_t length)
{
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra
        + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

} // namespace

void HttpServerTest::aBadTokenIsRefusedBeforeTheBodyIsSent_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<bool>("expectContinue");
    QTest::addColumn<QString>("status");
    for (const bool expect : {true, false}) {
        const char* e = expect ? " (Expect: 100-continue)" : "";
        QTest::addRow("sync, unknown kiosk token%s", e)
            << "/api/v1/kiosk/sync" << "Authorization: Bearer kt_AAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n" << expect << "401";
        QTest::addRow("sync, no token%s", e) << "/api/v1/kiosk/sync" << "" << expect << "401";
        QTest::addRow("sync, not a bearer%s", e) << "/api/v1/kiosk/sync" << "Authorization: Basic eDp5\r\n" << expect
                                                 << "401";
        QTest::addRow("API, stale session%s", e) << "/api/v1/courses" << "Cookie: imhere_session=stale\r\n" << expect
                                                 << "401";
        QTest::addRow("page form, anonymous%s", e) << "/courses" << "" << expect << "303";
    }
}

void HttpServerTest::aBadTokenIsRefusedBeforeTheBodyIsSent()
{
    QFETCH(QString, path);
    QFETCH(QString, credentials);
    QFETCH(bool, expectContinue);
    QFETCH(QString, status);
    TestServer server;
    RawSocket s(server.http->port());
    QVERIFY(s.connected());
    const std::size_t length = path.startsWith("/api/v1/kiosk") ? 4 << 20 : 1 << 20;
    const std::string extra = credentials.toStdString() + (expectContinue ? "Expect: 100-continue\r\n" : "");
    const auto started = std::chrono::steady_clock::now();
    QVERIFY(s.send(postHeaders(path.toStdString(), extra, length)));
    // None of the body is sent: the answer comes at once, and the connection
    // is closed rather than left waiting for the body.
    const std::string reply = s.readAll(3s);
    QVERIFY2(reply.starts_with("HTTP/1.1 " + status.toStdString()), reply.c_str());
    QCOMPARE(reply.find("100 Continue"), std::string::npos);
    QVERIFY(s.closedByPeer());
    QCOMPARE_LT(std::chrono::steady_clock::now() - started, 2s);
    QCOMPARE(server.client().get("/healthz").status, 200);
}

void HttpServerTest::anAdmittedCallerIsAskedForTheBody()
{
    TestServer server;
    const School school = School::build(server);
    RawSocket s(server.http->port());
    QVERIFY(s.connected());
    QVERIFY(s.send(postHeaders("/api/v1/kiosk/sync",
                               "Authorization: Bearer " + school.kioskToken + "\r\nExpect: 100-continue\r\n", 4 << 20)));
    const std::string reply = s.readAll(1s);
    QVERIFY2(reply.starts_with("HTTP/1.1 100 Continue"), reply.c_str());
    QVERIFY(!s.closedByPeer());
}

void HttpServerTest::largeBodiesReadAtOnceAreBounded()
{
    TestServer server(60); // the held connections must outlast the test
    const School school = School::build(server);
    const std::string auth = "Authorization: Bearer " + school.kioskToken + "\r\nExpect: 100-continue\r\n";
    const std::string headers = postHeaders("/api/v1/kiosk/sync", auth, 4 << 20);
    // One of the bodies being read is a short one, sent in full later.
    const std::size_t shortLength = 100 << 10;
    RawSocket finishing(server.http->port());
    QVERIFY(finishing.send(postHeaders("/api/v1/kiosk/sync", auth, shortLength)));
    QVERIFY(finishing.readAll(300ms).starts_with("HTTP/1.1 100 Continue"));
    std::vector<std::unique_ptr<RawSocket>> reading;
    for (unsigned i = 1; i < imhere::server::limits::k_maxLargeBodiesAtOnce; ++i) {
        reading.push_back(std::make_unique<RawSocket>(server.http->port()));
        QVERIFY(reading.back()->send(headers));
        const std::string reply = reading.back()->readAll(300ms);
        QVERIFY2(reply.starts_with("HTTP/1.1 100 Continue"), reply.c_str());
    }
    const auto refusedOne = [&] {
        RawSocket extra(server.http->port());
        extra.send(headers);
        const std::string refused = extra.readAll(3s);
        return refused.starts_with("HTTP/1.1 503") && refused.find("Retry-After: 1") != std::string::npos
            && extra.closedByPeer();
    };
    QVERIFY(refusedOne());
    // Small bodies are not held up meanwhile.
    QCOMPARE(server.client()
                 .json("POST", "/api/v1/login", R"({"email":"nobody@example.org","password":"not the password"})")
                 .status,
             401);
    // A body read to its end frees its place.
    QVERIFY(finishing.send(std::string(shortLength, ' ')));
    const std::string answered = finishing.readAll(3s);
    QVERIFY2(answered.find("HTTP/1.1 400") != std::string::npos, answered.c_str());
    RawSocket again(server.http->port());
    QVERIFY(again.send(headers));
    const std::string reply = again.readAll(300ms);
    QVERIFY2(reply.starts_with("HTTP/1.1 100 Continue"), reply.c_str());
    QVERIFY(refusedOne());
}

void HttpServerTest::headersOverSixteenKibibytesAreRefused()
{
    TestServer server;
    auto client = server.client();
    auto r = client.get("/healthz", {"X-Padding: " + std::string(20 << 10, 'a')});
    QCOMPARE_GE(r.status, 400);
    QCOMPARE_LT(r.status, 500);
    QCOMPARE(client.get("/healthz", {"X-Padding: " + std::string(8 << 10, 'a')}).status, 200);
}

void HttpServerTest::aSlowClientIsDroppedAfterTheConnectionTimeout()
{
    TestServer server(1);
    RawSocket s(server.http->port());
    QVERIFY(s.connected());
    QVERIFY(s.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
    const auto started = std::chrono::steady_clock::now();
    s.readAll(5s);
    QVERIFY(s.closedByPeer());
    QCOMPARE_LT(std::chrono::steady_clock::now() - started, 4s);
    QCOMPARE(server.client().get("/healthz").status, 200);
}

void HttpServerTest::manyConcurrentClientsAreServed()
{
    TestServer server;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&] {
            auto client = server.client();
            for (int i = 0; i < 20; ++i)
                ok += client.get("/healthz").status == 200 ? 1 : 0;
        });
    }
    for (auto& t : threads)
        t.join();
    QCOMPARE(ok.load(), 16 * 20);
}

namespace {

// The `ready` functions of deferred replies, called when the test says;
// once opened, the gate lets later replies through at once.
class Gate {
public:
    void add(std::function<void()> ready)
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_open) {
                m_waiting.push_back(std::move(ready));
                m_changed.notify_all();
                return;
            }
        }
        ready();
    }
    // Bounded: false when fewer than `count` arrived within 10 s.
    bool waitFor(std::size_t count)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, 10s, [&] { return m_waiting.size() >= count; });
    }
    void openAll()
    {
        std::vector<std::function<void()>> waiting;
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
            waiting.swap(m_waiting);
        }
        for (auto& ready : waiting)
            ready();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<std::function<void()>> m_waiting;
    bool m_open = false;
};

void addDeferredRoute(imhere::server::Router& router, Gate& gate)
{
    using namespace imhere::server;
    router.add("GET", "/later", [&gate](const Request&) -> Reply {
        return Deferred{[&gate](std::function<void()> ready) { gate.add(std::move(ready)); },
                        [] { return jsonResponse(200, {{"answer", "later"}}); }};
    });
}

} // namespace

void HttpServerTest::deferredRepliesDoNotHoldAPoolThread()
{
    Gate gate;
    imhere::server::Router router;
    addDeferredRoute(router, gate);
    imhere::server::HttpServer http(router);
    imhere::server::HttpServerOptions options;
    options.threads = 2;
    QVERIFY(http.start(options));
    const std::string url = "http://127.0.0.1:" + std::to_string(http.port());

    std::vector<std::thread> clients;
    std::atomic<int> answered{0};
    for (int i = 0; i < 8; ++i) {
        clients.emplace_back([&] {
            HttpClient client(url);
            client.skipContract(); // a route of this test's own
            const auto r = client.get("/later");
            answered += r.status == 200 && r.json()["answer"] == "later" ? 1 : 0;
        });
    }
    // Eight requests waiting at once on two threads: none of them holds one.
    const bool allWaiting = gate.waitFor(8);
    const int answeredWhileWaiting = answered.load();
    gate.openAll();
    for (auto& c : clients)
        c.join();
    http.stop();
    QVERIFY(allWaiting);
    QCOMPARE(answeredWhileWaiting, 0);
    QCOMPARE(answered.load(), 8);
}

void HttpServerTest::stopWaitsUntilEveryDeferredReplyIsReady()
{
    Gate gate;
    imhere::server::Router router;
    addDeferredRoute(router, gate);
    imhere::server::HttpServer http(router);
    QVERIFY(http.start({}));
    const std::string url = "http://127.0.0.1:" + std::to_string(http.port());
    long status = 0;
    std::thread client([&] {
        HttpClient later(url);
        later.skipContract(); // a route of this test's own
        status = later.get("/later").status;
    });
    QVERIFY(gate.waitFor(1));

    std::atomic<bool> opened{false};
    std::thread opener([&] {
        std::this_thread::sleep_for(100ms);
        opened = true;
        gate.openAll();
    });
    http.stop(); // stopping MHD with a suspended connection is undefined: stop() waits for it
    QVERIFY(opened.load());
    opener.join();
    client.join();
    QCOMPARE(status, 200); // answered before the server closed its connections
}

// Stopping while clients keep connecting and asking, over and over: every
// request gets its answer or a closed connection, and the process lives.
// Quiescing the listener first (MHD_quiesce_daemon) raced the pool's own
// epoll loops here and aborted the server.
void HttpServerTest::stopWhileRequestsKeepArriving()
{
    Gate gate;
    gate.openAll();
    imhere::server::Router router;
    addDeferredRoute(router, gate);
    router.add("GET", "/now", [](const imhere::server::Request&) -> imhere::server::Reply {
        return imhere::server::jsonResponse(200, {{"answer", "now"}});
    });
    int answered = 0;
    int refused = 0;
    for (int round = 0; round < 500; ++round) {
        imhere::server::HttpServer http(router);
        imhere::server::HttpServerOptions options;
        options.threads = 4;
        QVERIFY(http.start(options));
        std::atomic<bool> running{true};
        std::atomic<int> ok{0};
        std::atomic<int> failed{0};
        std::atomic<int> wrong{0};
        std::vector<std::thread> clients;
        for (int c = 0; c < 6; ++c) {
            clients.emplace_back([&, c] {
                while (running) {
                    RawSocket s(http.port());
                    if (!s.connected() || !s.send(std::string("GET ") + (c % 2 ? "/later" : "/now")
                                                  + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
                        ++failed;
                        std::this_thread::sleep_for(100us);
                        continue;
                    }
                    const std::string reply = s.readAll(5s);
                    if (reply.rfind("HTTP/1.1 200", 0) == 0)
                        ++ok;
                    else if (reply.empty() && s.closedByPeer())
                        ++failed;
                    else
                        ++wrong;
                }
            });
        }
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (ok.load() < 20 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(1ms);
        http.stop();
        running = false;
        for (auto& c : clients)
            c.join();
        QCOMPARE(wrong.load(), 0);
        QCOMPARE_GE(ok.load(), 20);
        answered += ok.load();
        refused += failed.load();
    }
    qInfo("%d answered, %d refused or closed while stopping", answered, refused);
}

QTEST_GUILESS_MAIN(HttpServerTest)
#include "httpservertest.moc"
