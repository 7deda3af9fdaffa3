// The client's address behind a reverse proxy: which hop of Forwarded and
// X-Forwarded-For is believed, and that per-address limits count the client
// the proxy names, never a header from an untrusted peer.

#include "testserver.h"

#include "sync-server/http/trustedproxies.h"
#include "sync-server/serverlimits.h"

#include "tests/support/qtestsupport.h"

using namespace imhere::test;
using imhere::server::TrustedProxies;

class TrustedProxiesTest : public QObject {
    Q_OBJECT

private slots:
    void listsAreParsedAndCheckedWhole_data();
    void listsAreParsedAndCheckedWhole();
    void theClientIsTheRightmostUntrustedHop_data();
    void theClientIsTheRightmostUntrustedHop();
    void failedSignInsBehindTheProxyLockOutOnlyThatClient();
    void forwardingHeadersFromAnUntrustedPeerAreIgnored();
};

void TrustedProxiesTest::listsAreParsedAndCheckedWhole_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<bool>("good");
    QTest::newRow("empty") << "" << true;
    QTest::newRow("addresses and blocks") << "127.0.0.1, ::1 10.0.0.0/8,2001:db8::/32" << true;
    QTest::newRow("a name") << "proxy.example.org" << false;
    QTest::newRow("IPv4 prefix too long") << "10.0.0.0/33" << false;
    QTest::newRow("IPv6 prefix too long") << "2001:db8::/129" << false;
    QTest::newRow("no prefix after the slash") << "10.0.0.0/" << false;
}

void TrustedProxiesTest::listsAreParsedAndCheckedWhole()
{
    QFETCH(QString, list);
    QFETCH(bool, good);
    QCOMPARE(TrustedProxies::parse(list.toStdString()).has_value(), good);
}

void TrustedProxiesTest::theClientIsTheRightmostUntrustedHop_data()
{
    QTest::addColumn<QString>("peer");
    QTest::addColumn<QString>("forwarded");     // "-": absent
    QTest::addColumn<QString>("xForwardedFor"); // "-": absent
    QTest::addColumn<QString>("client");
    QTest::newRow("untrusted peer, header ignored") << "198.51.100.7" << "-" << "203.0.113.5" << "198.51.100.7";
    QTest::newRow("trusted peer, no header") << "10.1.2.3" << "-" << "-" << "10.1.2.3";
    QTest::newRow("one hop") << "10.1.2.3" << "-" << "203.0.113.5" << "203.0.113.5";
    QTest::newRow("a spoofed hop on the left is not believed")
        << "10.1.2.3" << "-" << "192.0.2.1, 203.0.113.5" << "203.0.113.5";
    QTest::newRow("through two trusted proxies") << "10.1.2.3" << "-" << "203.0.113.5, 10.9.9.9" << "203.0.113.5";
    QTest::newRow("a hop that is no address stops the walk") << "10.1.2.3" << "-" << "203.0.113.5, unknown" << "10.1.2.3";
    QTest::newRow("Forwarded, IPv6 with a port") << "10.1.2.3" << R"(for=192.0.2.60;proto=http, for="[2001:db8::1]:4711")"
                                                 << "-" << "2001:db8::1";
    QTest::newRow("Forwarded wins over X-Forwarded-For") << "10.1.2.3" << "for=192.0.2.60" << "203.0.113.5"
                                                         << "192.0.2.60";
    QTest::newRow("IPv6 peer in a block") << "::1" << "-" << "203.0.113.9:5555" << "203.0.113.9";
}

void TrustedProxiesTest::theClientIsTheRightmostUntrustedHop()
{
    QFETCH(QString, peer);
    QFETCH(QString, forwarded);
    QFETCH(QString, xForwardedFor);
    QFETCH(QString, client);
    const auto proxies = TrustedProxies::parse("10.0.0.0/8 ::1");
    QVERIFY(proxies);
    const std::string f = forwarded.toStdString();
    const std::string x = xForwardedFor.toStdString();
    const auto header = [](const std::string& v) {
        return v == "-" ? std::nullopt : std::optional<std::string_view>(v);
    };
    QCOMPARE(proxies->clientAddress(peer.toStdString(), header(f), header(x)), client.toStdString());
}

namespace {

long failSignIn(TestServer& server, const std::string& client, int attempt)
{
    const std::string body = R"({"email":"nobody)" + std::to_string(attempt) + R"(@example.org","password":"not the password"})";
    return server.client().json("POST", "/api/v1/login", body, {"X-Forwarded-For: " + client}).status;
}

} // namespace

void TrustedProxiesTest::failedSignInsBehindTheProxyLockOutOnlyThatClient()
{
    // The test's requests come from loopback, as from a proxy on the same machine.
    TestServer server(0, *TrustedProxies::parse("127.0.0.1"));
    // Each attempt names another account, so only the address limit counts.
    for (int i = 0; i < imhere::server::limits::k_loginFailuresPerIp; ++i)
        QCOMPARE(failSignIn(server, "203.0.113.5", i), 401);
    QCOMPARE(failSignIn(server, "203.0.113.5", 100), 429);
    // Another client behind the same proxy is not locked out.
    QCOMPARE(failSignIn(server, "203.0.113.6", 101), 401);
}

void TrustedProxiesTest::forwardingHeadersFromAnUntrustedPeerAreIgnored()
{
    TestServer server; // trusts no proxy
    for (int i = 0; i < imhere::server::limits::k_loginFailuresPerIp; ++i)
        QCOMPARE(failSignIn(server, "203.0.113." + std::to_string(i + 1), i), 401);
    // Whatever address the header claims, the peer is the one locked out.
    QCOMPARE(failSignIn(server, "198.51.100.1", 100), 429);
}

QTEST_GUILESS_MAIN(TrustedProxiesTest)
#include "trustedproxiestest.moc"
