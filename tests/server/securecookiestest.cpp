// Cookies over HTTPS: what a handler sets becomes a Secure `__Host-` cookie
// for the whole host, and only `__Host-` cookies are read back, so a cookie
// planted over plain HTTP or by a sibling subdomain is never taken for one.

#include "sync-server/http/request.h"
#include "sync-server/http/securecookies.h"

#include <QTest>

using imhere::server::Request;
using imhere::server::secureSetCookie;

class SecureCookiesTest : public QObject {
    Q_OBJECT

private slots:
    void setCookieBecomesAHostCookie_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("sent");
        QTest::newRow("session") << "imhere_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200"
                                 << "__Host-imhere_session=abc; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=43200";
        QTest::newRow("a narrower path widens to /") << "imhere_device=x; Path=/q/; HttpOnly; SameSite=Lax"
                                                     << "__Host-imhere_device=x; Path=/; Secure; HttpOnly; SameSite=Lax";
        QTest::newRow("no domain, one Secure") << "a=b; Domain=example.org; secure; path=/x"
                                               << "__Host-a=b; Path=/; Secure";
        QTest::newRow("a cleared cookie") << "imhere_flash=; Path=/; Max-Age=0" << "__Host-imhere_flash=; Path=/; Secure; Max-Age=0";
    }
    void setCookieBecomesAHostCookie()
    {
        QFETCH(QString, given);
        QFETCH(QString, sent);
        QCOMPARE(QString::fromStdString(secureSetCookie(given.toStdString())), sent);
    }

    void overHttpsOnlyHostCookiesAreRead()
    {
        Request request;
        request.headers["cookie"] = "imhere_session=planted; __Host-imhere_session=issued; other=1";
        QCOMPARE(request.cookie("imhere_session").value_or("-"), std::string("planted"));
        request.secure = true;
        QCOMPARE(request.cookie("imhere_session").value_or("-"), std::string("issued"));
        QVERIFY(!request.cookie("other").has_value());
        request.headers["cookie"] = "imhere_session=planted";
        QVERIFY(!request.cookie("imhere_session").has_value());
    }
};

QTEST_APPLESS_MAIN(SecureCookiesTest)
#include "securecookiestest.moc"
