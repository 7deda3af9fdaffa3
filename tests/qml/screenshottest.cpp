// Renders every kiosk state offscreen to PNG (for a person to look at) and
// checks what a machine can: the idle screen's QR code decodes to the
// remote check-in URL, and each state shows its own words.
#include "kiosk/admincontroller.h"
#include "kiosk/kioskcontroller.h"

#include "core/clock.h"
#include "core/rotatingcode.h"

#include <ZXing/ReadBarcode.h>

#include <QDir>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Imhere_KioskPlugin)

using namespace imhere;
using namespace imhere::kiosk;

namespace {
constexpr std::int64_t k_now = 1'767'600'003'000;
const QByteArray k_secret(32, '\x17');

StationStatus openStatus()
{
    StationStatus s;
    s.ready = true;
    s.kioskId = 7;
    s.secret = k_secret;
    s.serverUrl = QStringLiteral("https://imhere.example.org");
    s.windowId = QStringLiteral("7a1c2a3b-0000-4000-8000-000000000001");
    s.windowTitle = QStringLiteral("Week 3 · Asynchronous JavaScript and Promises");
    s.courseName = QStringLiteral("WM5 · JS1");
    s.presentCount = 14;
    for (const auto& [name, time] : {std::pair{"Ada L.", "18:02"}, {"Grace H.", "18:01"}, {"Alan T.", "17:59"},
                                     {"Katherine J.", "17:58"}, {"Margaret H.", "17:55"}})
        s.recent.push_back({{}, {}, {}, QString::fromUtf8(name), QString::fromUtf8(time), QStringLiteral("nfc")});
    s.remotePending.push_back({QStringLiteral("c1"), QStringLiteral("p1"), s.windowId, QStringLiteral("Hedy L."),
                               QStringLiteral("18:03"), QStringLiteral("qr_remote")});
    return s;
}

TapFeedback feedback(TapFeedback::Kind kind, const char* name, const char* detail, bool late = false)
{
    TapFeedback f;
    f.kind = kind;
    f.name = QString::fromUtf8(name);
    f.detail = QString::fromUtf8(detail);
    f.late = late;
    return f;
}
} // namespace

class ScreenshotTest : public QObject {
    Q_OBJECT

    ManualClock m_clock{k_now};
    std::unique_ptr<KioskController> m_controller;
    std::unique_ptr<AdminController> m_admin;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    QDir m_out;

    QImage shoot(const QString& name)
    {
        QTest::qWait(50);
        QImage image = m_window->grabWindow();
        image.save(m_out.filePath(name + QStringLiteral(".png")));
        const QString missing = glyphsMissingFromTheFont();
        if (!missing.isEmpty())
            QTest::qFail(qPrintable(QStringLiteral("%1 shows characters its font lacks (drawn as boxes): %2")
                                        .arg(name, missing)),
                         __FILE__, __LINE__);
        return image;
    }
    // Characters on screen that the kiosk's font cannot draw.
    QString glyphsMissingFromTheFont() const
    {
        const QFontMetrics metrics(QFont(QStringLiteral("DejaVu Sans")));
        QString missing;
        for (const uint ucs4 : visibleText().toUcs4()) {
            const char32_t c = ucs4;
            const QString character = QString::fromUcs4(&c, 1);
            if (!QChar::isSpace(ucs4) && !metrics.inFontUcs4(ucs4) && !missing.contains(character))
                missing += character;
        }
        return missing;
    }
    // The text of every visible item under the window that has one, joined.
    static void collectText(QQuickItem* item, QStringList& parts)
    {
        if (!item->isVisible() || item->opacity() == 0.0)
            return;
        if (const QVariant text = item->property("text"); text.isValid() && text.typeId() == QMetaType::QString)
            parts << text.toString();
        for (QQuickItem* child : item->childItems())
            collectText(child, parts);
    }
    QString visibleText() const
    {
        QStringList parts;
        collectText(m_window->contentItem(), parts);
        return parts.join(u'\n');
    }
    // The first visible item under `from` whose `property` equals `value`.
    static QQuickItem* findVisible(QQuickItem* from, const char* property, const QString& value)
    {
        if (!from->isVisible())
            return nullptr;
        if (from->property(property).toString() == value)
            return from;
        for (QQuickItem* child : from->childItems()) {
            if (QQuickItem* found = findVisible(child, property, value))
                return found;
        }
        return nullptr;
    }
    void touch(QQuickItem* item)
    {
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, {}, centre.toPoint());
    }
    void fillRoster()
    {
        const QString w = openStatus().windowId;
        QList<RosterRow> roster{
            {QStringLiteral("a"), QStringLiteral("Ada Lovelace"), QStringLiteral("student"), QStringLiteral("on time"), QStringLiteral("18:02"), QStringLiteral("nfc"), {}, QStringLiteral("e1")},
            {QStringLiteral("b"), QStringLiteral("Alan Turing"), QStringLiteral("student"), QStringLiteral("late 12 min"), QStringLiteral("18:12"), QStringLiteral("wedge"), {QStringLiteral("CAMERA_OFF")}, QStringLiteral("e2")},
            {QStringLiteral("c"), QStringLiteral("Katherine Johnson"), QStringLiteral("student"), QStringLiteral("absent"), {}, {}, {}, QStringLiteral("e3")},
            {QStringLiteral("d"), QStringLiteral("Grace Hopper"), QStringLiteral("teacher"), QStringLiteral("not in yet"), {}, {}, {}, {}}};
        m_admin->onView({{w, QStringLiteral("course"), QStringLiteral("WM5 · JS1"), QStringLiteral("Week 3 · Asynchronous JavaScript and Promises"), QStringLiteral("18:00")}},
                        {{{}, QStringLiteral("course"), QStringLiteral("WM5 · JS1"), {}, {}}}, w, roster, 2);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_out = QDir(QStringLiteral(SCREENSHOT_DIR));
        QVERIFY(m_out.mkpath(QStringLiteral(".")));
        m_controller = std::make_unique<KioskController>(m_clock);
        m_admin = std::make_unique<AdminController>();
        m_engine = std::make_unique<QQmlApplicationEngine>();
        m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_engine->setInitialProperties({{QStringLiteral("controller"), QVariant::fromValue(m_controller.get())},
                                        {QStringLiteral("admin"), QVariant::fromValue(m_admin.get())}});
        m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/Imhere/Kiosk/Main.qml")));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().front());
        QVERIFY(m_window);
        m_window->resize(1280, 800);
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    void idleWithAnOpenWindowShowsAScannableCode()
    {
        m_controller->setOnline(true);
        m_controller->setStatus(openStatus());
        const QImage image = shoot(QStringLiteral("01-idle"));
        QVERIFY(visibleText().contains(QStringLiteral("Tap your badge")));
        QVERIFY(visibleText().contains(QStringLiteral("14 in today")));
        QVERIFY(visibleText().contains(QStringLiteral("Hedy L.")));
        const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
        const ZXing::ImageView view(gray.constBits(), gray.width(), gray.height(), ZXing::ImageFormat::Lum,
                                    static_cast<int>(gray.bytesPerLine()));
        const auto result = ZXing::ReadBarcode(view, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
        QVERIFY2(result.isValid(), "no QR code found in the idle screen");
        QCOMPARE(QString::fromStdString(result.text()), m_controller->qrText());
        QVERIFY(m_controller->qrText().startsWith(QStringLiteral("https://imhere.example.org/q/")));
    }

    // The door screen may be a 7" panel, a laptop or a portrait TV: the code
    // must still scan and the call to action still show.
    void idleAtOtherScreenSizes_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x600") << QSize(1024, 600);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
        QTest::newRow("portrait 800x1280") << QSize(800, 1280);
    }
    void idleAtOtherScreenSizes()
    {
        QFETCH(QSize, size);
        m_window->resize(size);
        QTRY_COMPARE(m_window->size(), size);
        const QImage image = shoot(QStringLiteral("01-idle-%1x%2").arg(size.width()).arg(size.height()));
        m_window->resize(1280, 800);
        QVERIFY(visibleText().contains(QStringLiteral("Tap your badge")));
        const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
        const ZXing::ImageView view(gray.constBits(), gray.width(), gray.height(), ZXing::ImageFormat::Lum,
                                    static_cast<int>(gray.bytesPerLine()));
        const auto result = ZXing::ReadBarcode(view, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
        QVERIFY2(result.isValid(), "no QR code found at this size");
        QCOMPARE(QString::fromStdString(result.text()), m_controller->qrText());
    }

    void idleOfflineShowsTheQueue()
    {
        m_controller->setOnline(false);
        m_controller->setQueueLength(37);
        shoot(QStringLiteral("02-idle-offline"));
        QVERIFY(visibleText().contains(QStringLiteral("37 check-ins saved here")));
        m_controller->setOnline(true);
    }

    void idleWithNoOpenWindow()
    {
        StationStatus s;
        s.ready = true;
        m_controller->setStatus(s);
        shoot(QStringLiteral("03-idle-no-window"));
        QVERIFY(visibleText().contains(QStringLiteral("No class open right now")));
        QVERIFY(m_controller->qrText().isEmpty());
        m_controller->setStatus(openStatus());
    }

    void results_data()
    {
        QTest::addColumn<TapFeedback>("fb");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("words");
        QTest::newRow("success") << feedback(TapFeedback::Kind::CheckedIn, "Ada Lovelace", "On time")
                                 << "04-success" << "On time";
        QTest::newRow("late") << feedback(TapFeedback::Kind::CheckedIn, "Bartholomew Featherstonehaugh-Smythe",
                                          "Late by 17 min", true)
                              << "05-late" << "Late by 17 min";
        QTest::newRow("already") << feedback(TapFeedback::Kind::AlreadyCheckedIn, "Ada Lovelace",
                                             "Already checked in at 18:02")
                                 << "06-already" << "Already checked in at 18:02";
        QTest::newRow("unknown") << feedback(TapFeedback::Kind::UnknownBadge, "", "Please ask a volunteer.")
                                 << "07-unknown" << "Badge not recognised";
        QTest::newRow("closed") << feedback(TapFeedback::Kind::NoOpenWindow, "Alan Turing",
                                            "No class is open for you right now.")
                                << "08-no-open-window" << "No class is open for you right now.";
        QTest::newRow("failed") << feedback(TapFeedback::Kind::Failed, "", "Nothing was recorded. Tap again or ask a volunteer.")
                                << "09-failed" << "Not saved";
    }
    void results()
    {
        QFETCH(TapFeedback, fb);
        QFETCH(QString, file);
        QFETCH(QString, words);
        m_controller->showFeedback(fb);
        shoot(file);
        QVERIFY2(visibleText().contains(words), qPrintable(visibleText()));
        QVERIFY(!visibleText().contains(QStringLiteral("Tap your badge")));
        m_controller->dismissFeedback();
    }

    void adminPin()
    {
        m_admin->begin();
        shoot(QStringLiteral("10-admin-badge"));
        QVERIFY(visibleText().contains(QStringLiteral("Tap your teacher or TA badge.")));
        m_admin->onPinRequested(QStringLiteral("Grace Hopper"));
        m_admin->onPinRejected(QStringLiteral("Wrong PIN. 3 tries left."), 0);
        shoot(QStringLiteral("11-admin-pin"));
        QVERIFY(visibleText().contains(QStringLiteral("3 tries left")));
        QVERIFY(visibleText().contains(QStringLiteral("PIN for Grace Hopper")));

        // Five wrong PINs: no keys to press, and how long the lock lasts.
        m_admin->onPinRejected(QStringLiteral("Too many wrong PINs. Try again later."), 300);
        shoot(QStringLiteral("11-admin-pin-locked"));
        QVERIFY(visibleText().contains(QStringLiteral("PIN locked")));
        QVERIFY(visibleText().contains(QStringLiteral("Try again in 5 min.")));
        QVERIFY(!findVisible(m_window->contentItem(), "text", QStringLiteral("OK")));
        m_admin->cancel();
        m_admin->begin();
        m_admin->onPinRequested(QStringLiteral("Grace Hopper"));
        QVERIFY(findVisible(m_window->contentItem(), "text", QStringLiteral("OK")));
    }

    void adminSession()
    {
        m_admin->onSessionStarted(QStringLiteral("Grace Hopper"));
        fillRoster();
        m_admin->onUnknownBadge(QStringLiteral("ab12"));
        m_admin->onCorrectionsAllowed(true);
        shoot(QStringLiteral("12-admin-session"));
        const QString text = visibleText();
        QVERIFY(text.contains(QStringLiteral("Katherine Johnson")));
        QVERIFY(text.contains(QStringLiteral("Give badge")));
        QVERIFY(text.contains(QStringLiteral("Remote: Hedy L. at 18:03")));
        QVERIFY(text.contains(QStringLiteral("Absent")));
        QVERIFY(text.contains(QStringLiteral("2 events refused")));
        QVERIFY(text.contains(QStringLiteral("Week 3 · Asynchronous JavaScript and Promises\nWM5 · JS1 · 18:00")));

        // Mark present with a reason, by touch alone (no keyboard at the door).
        QSignalSpy presence(m_admin.get(), &AdminController::presenceRequested);
        QQuickItem* reason = findVisible(m_window->contentItem(), "text", QStringLiteral("Forgot badge"));
        QVERIFY(reason);
        touch(reason);
        QTRY_VERIFY(visibleText().contains(QStringLiteral("✓ Forgot badge")));
        QQuickItem* row = findVisible(m_window->contentItem(), "name", QStringLiteral("Katherine Johnson"));
        QVERIFY(row);
        QQuickItem* present = findVisible(row, "text", QStringLiteral("Present"));
        QVERIFY(present);
        touch(present);
        QCOMPARE(presence.size(), 1);
        QCOMPARE(presence.front().at(0).toString(), QStringLiteral("c"));
        QCOMPARE(presence.front().at(1).toBool(), true);
        QCOMPARE(presence.front().at(2).toString(), QStringLiteral("Forgot badge"));
        shoot(QStringLiteral("12-admin-session-reason"));

        // A TA may flag and confirm but not mark presence (the server's rule).
        m_admin->cancel();
        m_admin->begin();
        m_admin->onPinRequested(QStringLiteral("Tara Assistant"));
        m_admin->onSessionStarted(QStringLiteral("Tara Assistant"));
        fillRoster();
        shoot(QStringLiteral("13-admin-session-ta"));
        QVERIFY(visibleText().contains(QStringLiteral("Volunteer: Tara Assistant")));
        QVERIFY(!visibleText().contains(QStringLiteral("Absent")));
        QVERIFY(!visibleText().contains(QStringLiteral("Reason:")));
        QVERIFY(visibleText().contains(QStringLiteral("Camera off")));
        m_admin->cancel();
        QVERIFY(!visibleText().contains(QStringLiteral("Roster")));
    }

    // The volunteer screen on a 7" panel and on a portrait screen.
    void adminAtOtherScreenSizes_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x600") << QSize(1024, 600);
        QTest::newRow("portrait 800x1280") << QSize(800, 1280);
    }
    void adminAtOtherScreenSizes()
    {
        QFETCH(QSize, size);
        m_window->resize(size);
        QTRY_COMPARE(m_window->size(), size);
        m_admin->begin();
        m_admin->onPinRequested(QStringLiteral("Grace Hopper"));
        shoot(QStringLiteral("14-admin-pin-%1x%2").arg(size.width()).arg(size.height()));
        QQuickItem* ok = findVisible(m_window->contentItem(), "text", QStringLiteral("OK"));
        QVERIFY(ok);
        QVERIFY(ok->mapToScene(QPointF(0, ok->height())).y() <= size.height());
        m_admin->onSessionStarted(QStringLiteral("Grace Hopper"));
        m_admin->onCorrectionsAllowed(true);
        fillRoster();
        m_admin->onUnknownBadge(QStringLiteral("ab12"));
        shoot(QStringLiteral("15-admin-session-%1x%2").arg(size.width()).arg(size.height()));
        QVERIFY(visibleText().contains(QStringLiteral("Katherine Johnson")));
        m_admin->cancel();
        m_window->resize(1280, 800);
        QTRY_COMPARE(m_window->size(), QSize(1280, 800));
    }

    void idleOfflineOnASmallScreen()
    {
        m_window->resize(1024, 600);
        QTRY_COMPARE(m_window->size(), QSize(1024, 600));
        m_controller->setOnline(false);
        m_controller->setQueueLength(1);
        shoot(QStringLiteral("16-idle-offline-1024x600"));
        QVERIFY(visibleText().contains(QStringLiteral("Offline. 1 check-in saved here")));
        m_controller->setOnline(true);
        m_window->resize(1280, 800);
    }

    void cleanupTestCase()
    {
        m_engine.reset();
    }
};

QTEST_MAIN(ScreenshotTest)
#include "screenshottest.moc"
