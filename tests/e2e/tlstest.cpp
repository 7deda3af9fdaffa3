// HTTPS served by imhere-server itself. A CA and certificates are made at
// run time with the openssl command; the real server process serves one of
// them, and the kiosk's real SyncClient and CurlTransport sync with it when
// they trust its CA and refuse it when they trust another one. SIGHUP puts a
// new certificate in place for new connections. Over HTTPS, and behind a
// TLS proxy, cookies are Secure `__Host-` ones and Strict-Transport-Security
// is sent; over plain HTTP neither.
#include "processes.h"
#include "schoolseed.h"

#include "tests/kiosk/testsupport.h"

#include "sync-server/auth/tokens.h"
#include "sync-server/store/sqlitestore.h"

#include "core/random.h"

#include "kiosk/curltransport.h"
#include "kiosk/syncclient.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <curl/curl.h>

#include <cctype>

using namespace imhere;
using namespace imhere::e2e;
using namespace imhere::kiosk;

namespace {

constexpr int k_opensslMs = 30'000;
constexpr long k_clientTimeoutMs = 20'000;

bool openssl(const QStringList& args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(k_opensslMs) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("openssl %s: %s", qPrintable(args.join(u' ')), p.readAll().constData());
        return false;
    }
    return true;
}

// DIR/NAME-ca.pem, and DIR/NAME.pem + DIR/NAME.key for 127.0.0.1 signed by it.
bool makeCaAndServerCertificate(const QString& dir, const QString& name)
{
    const QString ca = dir + u'/' + name + QStringLiteral("-ca");
    const QString server = dir + u'/' + name;
    QFile ext(server + QStringLiteral(".ext"));
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    ext.write("subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n");
    ext.close();
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes")};
    return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec
                   + QStringList{QStringLiteral("-keyout"), ca + QStringLiteral(".key"), QStringLiteral("-out"),
                                 ca + QStringLiteral(".pem"), QStringLiteral("-days"), QStringLiteral("2"),
                                 QStringLiteral("-subj"), QStringLiteral("/CN=imhere test CA ") + name})
        && openssl(QStringList{QStringLiteral("req")} + ec
                   + QStringList{QStringLiteral("-keyout"), server + QStringLiteral(".key"), QStringLiteral("-out"),
                                 server + QStringLiteral(".csr"), QStringLiteral("-subj"),
                                 QStringLiteral("/CN=127.0.0.1")})
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), server + QStringLiteral(".csr"),
                    QStringLiteral("-CA"), ca + QStringLiteral(".pem"), QStringLiteral("-CAkey"),
                    ca + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), server + QStringLiteral(".ext"),
                    QStringLiteral("-out"), server + QStringLiteral(".pem")});
}

bool copyOver(const QString& from, const QString& to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

struct Answer {
    long status = 0;
    std::vector<std::string> headers; // lower-case "name: value"
    [[nodiscard]] std::vector<std::string> all(std::string_view name) const
    {
        std::vector<std::string> out;
        for (const auto& h : headers)
            if (h.starts_with(std::string(name) + ":"))
                out.push_back(h.substr(name.size() + 1));
        return out;
    }
};

// A request with libcurl, trusting `caFile` (none for http://); a body is
// POSTed.
Answer request(const std::string& url, const QString& caFile = {}, const std::vector<std::string>& headers = {},
               const std::optional<std::string>& body = std::nullopt, std::string* received = nullptr)
{
    Answer answer;
    CURL* h = curl_easy_init();
    const std::string ca = caFile.toStdString();
    curl_slist* list = nullptr;
    for (const auto& line : headers)
        list = curl_slist_append(list, line.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    }
    std::string sink;
    curl_easy_setopt(h, CURLOPT_WRITEDATA, received ? received : &sink);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    if (!ca.empty())
        curl_easy_setopt(h, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, k_clientTimeoutMs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) {
        static_cast<std::string*>(user)->append(data, size * n);
        return size * n;
    });
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &answer.headers);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, +[](char* data, size_t size, size_t n, void* user) {
        std::string line(data, size * n);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.pop_back();
        const auto colon = line.find(':');
        for (std::size_t i = 0; i < colon && colon != std::string::npos; ++i)
            line[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
        static_cast<std::vector<std::string>*>(user)->push_back(line);
        return size * n;
    });
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_easy_cleanup(h);
    curl_slist_free_all(list);
    return answer;
}

Answer get(const std::string& url, const QString& caFile = {})
{
    return request(url, caFile);
}

} // namespace

class TlsTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_db;
    SeededSchool m_school;
    std::unique_ptr<ServerProcess> m_server;
    std::optional<CurlGlobal> m_curl;
    std::string m_adminSession, m_adminCsrf; // a session of an org admin, made in the store

    void addSignedInAdmin()
    {
        SystemClock clock;
        auto store = server::SqliteStore::open(m_db, clock);
        QVERIFY(store);
        auto admin = (*store)->people().createPerson(
            {"TLS Admin", "tls-admin@example.org", std::nullopt, std::nullopt, std::nullopt, std::nullopt, true});
        QVERIFY(admin);
        m_adminSession = randomToken(32);
        m_adminCsrf = randomToken(32);
        QVERIFY((*store)->credentials().createSession(
            server::sha256(m_adminSession), server::Session{admin->id, m_adminCsrf, clock.nowMs() + 3'600'000}));
    }

    QString file(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    // One sync round of a fresh kiosk (a new connection) trusting `caFile`.
    bool kioskSyncs(const QString& caFile, QString* problem = nullptr)
    {
        test::TempStore temp;
        KioskStore store = temp.open();
        if (!store.saveCredentials({m_server->url(), m_school.kioskToken, caFile.toStdString()}))
            return false;
        CurlTransport transport(CurlTransport::Options{caFile.toStdString()});
        SystemClock system;
        OffsetClock corrected(system);
        SyncClient client(store, transport, system, corrected);
        QSignalSpy problems(&client, &SyncClient::problem);
        const bool synced = client.syncNow();
        if (problem && !problems.isEmpty())
            *problem = problems.first().first().toString();
        const auto identity = store.identity();
        return synced && identity && identity->has_value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(makeCaAndServerCertificate(m_dir.path(), QStringLiteral("a")));
        QVERIFY(makeCaAndServerCertificate(m_dir.path(), QStringLiteral("b")));
        // The files the server is told about; SIGHUP rereads them.
        QVERIFY(copyOver(file("a.pem"), file("server.pem")));
        QVERIFY(copyOver(file("a.key"), file("server.key")));
        m_db = m_dir.filePath(QStringLiteral("imhere.db")).toStdString();
        m_school = seedSchool(m_db, 3);
        addSignedInAdmin();
        m_curl.emplace();
        m_server = std::make_unique<ServerProcess>(m_db);
        QVERIFY(m_server->start({QStringLiteral("--tls-cert"), file("server.pem"), QStringLiteral("--tls-key"),
                                 file("server.key")}));
        QVERIFY(m_server->url().starts_with("https://"));
    }

    void aKioskTrustingTheServersCaSyncsOverTls()
    {
        QString problem;
        QVERIFY2(kioskSyncs(file("a-ca.pem"), &problem), qPrintable(problem));
    }

    void aKioskRefusesACertificateFromAnotherCa()
    {
        QString problem;
        QVERIFY(!kioskSyncs(file("b-ca.pem"), &problem));
        QVERIFY2(problem.startsWith(QStringLiteral("server unreachable")), qPrintable(problem));
        // Nor does plain HTTP reach an HTTPS port.
        QCOMPARE(get("http" + m_server->url().substr(5) + "/healthz").status, 0L);
    }

    void cookiesOverHttpsAreSecureHostCookiesAndHstsIsSent()
    {
        const Answer login = get(m_server->url() + "/login", file("a-ca.pem"));
        QCOMPARE(login.status, 200L);
        const auto cookies = login.all("set-cookie");
        QVERIFY(!cookies.empty());
        for (const std::string& cookie : cookies) {
            QVERIFY2(cookie.starts_with(" __Host-"), cookie.c_str());
            QVERIFY2(cookie.find("; Secure") != std::string::npos, cookie.c_str());
            QVERIFY2(cookie.find("; Path=/;") != std::string::npos, cookie.c_str());
        }
        const auto hsts = login.all("strict-transport-security");
        QCOMPARE(hsts.size(), 1u);
        QCOMPARE(hsts.front(), std::string(" max-age=31536000"));
    }

    void theKiosksPageSuggestsAnHttpsUrlAndOnlyHostCookiesSignIn()
    {
        const std::string form = "csrf=" + m_adminCsrf + "&name=Room+9&courses=" + m_school.course;
        const std::string type = "Content-Type: application/x-www-form-urlencoded";
        std::string page;
        const Answer made = request(m_server->url() + "/admin/kiosks", file("a-ca.pem"),
                                    {"Cookie: __Host-imhere_session=" + m_adminSession, type}, form, &page);
        QCOMPARE(made.status, 201L);
        QVERIFY2(page.find("imhere-kiosk --server " + m_server->url() + " --token kt_") != std::string::npos,
                 page.c_str());
        QVERIFY(page.find("--ca-file") != std::string::npos);
        // Over HTTPS a cookie without the prefix (one a plain-HTTP page or a
        // sibling host could have set) signs nobody in.
        const Answer planted = request(m_server->url() + "/admin/kiosks", file("a-ca.pem"),
                                       {"Cookie: imhere_session=" + m_adminSession, type}, form);
        QCOMPARE(planted.status, 303L);
        QCOMPARE(planted.all("location").front(), std::string(" /login"));
    }

    void sighupServesTheNewCertificateToNewConnections()
    {
        QVERIFY(copyOver(file("b.pem"), file("server.pem")));
        QVERIFY(copyOver(file("b.key"), file("server.key")));
        QVERIFY(m_server->reloadTls());
        QString problem;
        QVERIFY2(kioskSyncs(file("b-ca.pem"), &problem), qPrintable(problem));
        QVERIFY(!kioskSyncs(file("a-ca.pem")));
    }

    void aPairThatCannotBeReadLeavesTheOneInUse()
    {
        // A's key with B's certificate: refused, and B stays.
        QVERIFY(copyOver(file("a.key"), file("server.key")));
        QVERIFY(!m_server->reloadTls());
        QString problem;
        QVERIFY2(kioskSyncs(file("b-ca.pem"), &problem), qPrintable(problem));
        QVERIFY(copyOver(file("b.key"), file("server.key")));
    }

    void behindATlsProxyCookiesAreSecureToo()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
        (void)seedSchool(db, 1);
        ServerProcess proxied(db);
        QVERIFY(proxied.start({QStringLiteral("--tls-proxy"), QStringLiteral("yes")}));
        QVERIFY(proxied.url().starts_with("http://"));
        const Answer login = get(proxied.url() + "/login");
        QCOMPARE(login.status, 200L);
        QVERIFY(!login.all("set-cookie").empty());
        QVERIFY(login.all("set-cookie").front().starts_with(" __Host-"));
        QCOMPARE(login.all("strict-transport-security").size(), 1u);
    }

    void plainHttpHasNeitherSecureCookiesNorHsts()
    {
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
        (void)seedSchool(db, 1);
        ServerProcess plain(db);
        QVERIFY(plain.start());
        const Answer login = get(plain.url() + "/login");
        QCOMPARE(login.status, 200L);
        QVERIFY(!login.all("set-cookie").empty());
        QVERIFY(login.all("set-cookie").front().find("__Host-") == std::string::npos);
        QVERIFY(login.all("set-cookie").front().find("Secure") == std::string::npos);
        QVERIFY(login.all("strict-transport-security").empty());
    }

    void cleanupTestCase()
    {
        m_server.reset();
    }
};

QTEST_GUILESS_MAIN(TlsTest)
#include "tlstest.moc"
