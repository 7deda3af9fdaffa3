// imhere-kiosk's settings: command line over IMHERE_* over the [kiosk]
// section of kiosk.conf; every bad value, unknown key or unreadable file
// stops start-up naming the setting, its value and the reason.

#include "kiosk/kiosksettings.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <fstream>

using namespace imhere;
using namespace imhere::kiosk;

namespace {

QString writeConfig(const QTemporaryDir& dir, const std::string& text)
{
    const QString path = dir.filePath(QStringLiteral("kiosk.conf"));
    std::ofstream(path.toStdString()) << text;
    return path;
}

std::string problem(const Result<KioskSettings>& r)
{
    return r ? std::string() : r.error().message;
}

} // namespace

class KioskSettingsTest : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        for (const char* name : {"IMHERE_SERVER", "IMHERE_TOKEN", "IMHERE_DATA", "IMHERE_READER", "IMHERE_CA_FILE",
                                 "IMHERE_CONFIG"})
            unsetenv(name);
    }

    void commandLineBeatsEnvironmentBeatsFile()
    {
        QTemporaryDir dir;
        const QString path = writeConfig(dir, "# comment = not a key\n[kiosk]\nserver = https://imhere.example.org\n"
                                              "data = /var/lib/imhere-kiosk\n; another comment\n# ca-file = /x.pem\n"
                                              "reader = nfc\ntoken = kt_fromfile\n");
        setenv("IMHERE_READER", "wedge:/dev/input/event3", 1);
        setenv("IMHERE_TOKEN", "kt_fromenv", 1);
        const auto s = KioskSettings::load({{"token", "kt_fromcli"}}, path);
        QVERIFY2(s, problem(s).c_str());
        QCOMPARE(s->get("server"), "https://imhere.example.org");
        QCOMPARE(s->sourceOf("server"), path.toStdString());
        QCOMPARE(s->get("reader"), "wedge:/dev/input/event3");
        QCOMPARE(s->sourceOf("reader"), "IMHERE_READER");
        QCOMPARE(s->get("token"), "kt_fromcli");
        QCOMPARE(s->sourceOf("token"), "--token");
        QVERIFY(!s->get("ca-file"));
    }

    void badValuesNameKeyValueAndReason()
    {
        QTemporaryDir dir;
        QString path = writeConfig(dir, "[kiosk]\nserver = ftp://imhere.example.org\n");
        auto s = KioskSettings::load({}, path);
        QVERIFY(!s);
        QCOMPARE(problem(s), path.toStdString() + ": server=ftp://imhere.example.org: must be an http:// or https:// URL with a host");

        path = writeConfig(dir, "[kiosk]\nsever = https://imhere.example.org\n");
        QCOMPARE(problem(KioskSettings::load({}, path)), path.toStdString() + ": sever=https://imhere.example.org: unknown key");

        path = writeConfig(dir, "[kiosk]\nca-file = /no/such/ca.pem\n");
        QCOMPARE(problem(KioskSettings::load({}, path)), path.toStdString() + ": ca-file=/no/such/ca.pem: is not a readable file");

        path = writeConfig(dir, "server = https://imhere.example.org\n");
        QVERIFY(problem(KioskSettings::load({}, path)).find("not in the [kiosk] section") != std::string::npos);

        setenv("IMHERE_READER", "telepathy", 1);
        s = KioskSettings::load({}, QString());
        QVERIFY(problem(s).starts_with("IMHERE_READER=telepathy: "));
        unsetenv("IMHERE_READER");

        QCOMPARE(problem(KioskSettings::load({{"data", ""}}, QString())), "--data=: must name a directory");
    }

    void aNamedFileMustExistTheDefaultNeedNot()
    {
        QVERIFY(problem(KioskSettings::load({}, QStringLiteral("/no/such/kiosk.conf"))).starts_with("cannot read"));
        setenv("IMHERE_CONFIG", "/no/such/kiosk.conf", 1);
        QVERIFY(!KioskSettings::load({}, QString()));
    }
};

QTEST_GUILESS_MAIN(KioskSettingsTest)
#include "kiosksettingstest.moc"
