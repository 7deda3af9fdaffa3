// The kiosk's clock runs 5 minutes fast, or 5 minutes slow (an injected
// clock under the real SyncClient, CheckInService and screen code), against
// the real imhere-server: after one sync the kiosk works on corrected time,
// so a tap is stored at the server's time (and its lateness reckoned from
// it), the rotating code on its screen verifies at the server while a code
// made on the kiosk's own clock would not, and the server reports the skew
// to admins as imhere_kiosk_clock_skew_seconds on /metrics and stores it for
// the admins' kiosk page.
#include "processes.h"
#include "schoolseed.h"

#include "tests/kiosk/testsupport.h"

#include "kiosk/checkinservice.h"
#include "kiosk/curltransport.h"
#include "kiosk/screenqr.h"
#include "kiosk/syncclient.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <curl/curl.h>

using namespace imhere;
using namespace imhere::e2e;
using namespace imhere::kiosk;

namespace {

// The kiosk's own clock: the system's, off by a fixed amount.
class SkewedClock final : public Clock {
public:
    explicit SkewedClock(std::int64_t skewMs) : m_skewMs(skewMs) {}
    [[nodiscard]] std::int64_t nowMs() const override { return m_system.nowMs() + m_skewMs; }

private:
    SystemClock m_system;
    std::int64_t m_skewMs;
};

struct Got {
    long status = 0;
    std::string body;
};

Got get(const std::string& url)
{
    Got got;
    CURL* h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30'000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, +[](char* data, std::size_t size, std::size_t n, void* out) {
        static_cast<std::string*>(out)->append(data, size * n);
        return size * n;
    });
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got.body);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &got.status);
    curl_easy_cleanup(h);
    return got;
}

constexpr std::int64_t k_toleranceMs = 30'000; // a loaded machine between two readings of the time

} // namespace

class KioskClockTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aSkewedKioskWorksOnCorrectedTime_data()
    {
        QTest::addColumn<qint64>("skewMs");
        QTest::newRow("5 minutes fast") << qint64{5 * 60'000};
        QTest::newRow("5 minutes slow") << qint64{-5 * 60'000};
    }

    void aSkewedKioskWorksOnCorrectedTime()
    {
        QFETCH(qint64, skewMs);
        QTemporaryDir dir;
        const std::string db = dir.filePath(QStringLiteral("imhere.db")).toStdString();
        const SeededSchool school = seedSchool(db, 3);
        ServerProcess server(db);
        QVERIFY(server.start());

        test::TempStore temp;
        KioskStore store = temp.open();
        QVERIFY(store.saveCredentials({server.url(), school.kioskToken, ""}).has_value());
        CurlGlobal curl;
        CurlTransport transport(CurlTransport::Options{});
        SkewedClock kioskClock(skewMs);
        OffsetClock corrected(kioskClock);
        SyncClient client(store, transport, kioskClock, corrected);
        std::int64_t cursor = -1;
        for (int round = 0; round < 20 && cursor != store.cursor().value(); ++round) {
            cursor = store.cursor().value();
            QVERIFY(client.syncNow());
        }
        const auto identity = store.identity().value();
        QVERIFY(identity.has_value());
        QVERIFY2(std::abs(corrected.offsetMs() + skewMs) < k_toleranceMs,
                 qPrintable(QStringLiteral("offset %1 ms").arg(corrected.offsetMs())));

        // A tap is stored at the server's time, not the kiosk's.
        CheckInService service(store, corrected);
        QSignalSpy feedback(&service, &CheckInService::feedback);
        service.handleRead(test::tap(school.trainees[0].uid));
        QCOMPARE(feedback.count(), 1);
        const auto tapped = feedback.at(0).at(0).value<TapFeedback>();
        QVERIFY2(tapped.kind == TapFeedback::Kind::CheckedIn, qPrintable(tapped.detail));
        QCOMPARE(tapped.detail, QStringLiteral("On time")); // the window opened a minute ago; late after 10
        QVERIFY(client.syncNow());
        const auto storedAt = queryInt(db, "SELECT at FROM check_in WHERE kiosk = ?", std::to_string(school.kioskId));
        QVERIFY(storedAt.has_value());
        const std::int64_t serverNow = SystemClock().nowMs();
        QVERIFY2(std::abs(*storedAt - serverNow) < k_toleranceMs,
                 qPrintable(QStringLiteral("stored at %1, server time %2").arg(*storedAt).arg(serverNow)));

        // The screen's rotating code verifies at the server; one on the kiosk's own clock would not.
        const QByteArray secret(reinterpret_cast<const char*>(identity->secret.data()),
                                static_cast<qsizetype>(identity->secret.size()));
        const QString window = QString::fromStdString(school.window);
        const QString shown = remoteCheckInUrl(QString::fromStdString(server.url()), secret, window, identity->kioskId,
                                               corrected.nowMs());
        const Got scanned = get(shown.toStdString());
        QVERIFY2(scanned.status == 200, qPrintable(QStringLiteral("%1 %2").arg(scanned.status).arg(shown)));
        const QString uncorrected = remoteCheckInUrl(QString::fromStdString(server.url()), secret, window,
                                                     identity->kioskId, kioskClock.nowMs());
        QCOMPARE(get(uncorrected.toStdString()).status, 410L);

        // The skew, as the kiosk's own clock had it, is on /metrics.
        const Got metrics = get(server.url() + "/metrics");
        QCOMPARE(metrics.status, 200L);
        const QRegularExpression line(QStringLiteral("imhere_kiosk_clock_skew_seconds\\{kiosk=\"%1\"\\} (-?[0-9.e+]+)")
                                          .arg(identity->kioskId));
        const auto match = line.match(QString::fromStdString(metrics.body));
        QVERIFY2(match.hasMatch(), metrics.body.c_str());
        const double skewSeconds = match.captured(1).toDouble();
        QVERIFY2(std::abs(skewSeconds * 1000 - static_cast<double>(skewMs)) < k_toleranceMs,
                 qPrintable(QStringLiteral("reported skew %1 s").arg(skewSeconds)));
        // And it is stored for the admins' kiosk page (its "Clock" column).
        const auto stored = queryInt(db, "SELECT clock_skew_ms FROM kiosk WHERE id = ?", std::to_string(school.kioskId));
        QVERIFY(stored.has_value());
        QVERIFY2(std::abs(*stored - skewMs) < k_toleranceMs, qPrintable(QStringLiteral("stored skew %1 ms").arg(*stored)));
    }
};

QTEST_GUILESS_MAIN(KioskClockTest)
#include "kioskclocktest.moc"
