// bench_kiosk [--taps N] [--dir DIR] [--starts N] [--parts 1234]
//
// 1. Tap -> durable record -> feedback: CheckInService::handleRead until its
//    feedback signal (the check-in and its outbox row committed with
//    synchronous=FULL), N taps by N different people, interleaved with one
//    bare SQLite commit of one row (WAL, synchronous=FULL) on the same disk.
//    p50 and p99 of each, and their ratio (goal: p99 <= 2x).
// 2. The same through the running kiosk's threads: a read posted from the GUI
//    thread to the store thread until KioskController::screenChanged arrives
//    back on the GUI thread.
// 3. Cold start: imhere-kiosk --self-test (offscreen) from spawn to its "first
//    frame" line, on a provisioned store holding the N-person roster.
// 4. Memory: a real imhere-kiosk (offscreen, offline) fed N taps through the
//    simulated reader's socket; VmRSS before and after, and its peak.
#include "bench/benchtable.h"
#include "bench/must.h"
#include "kiosk/checkinservice.h"
#include "kiosk/curltransport.h"
#include "kiosk/kioskstore.h"
#include "kiosk/station.h"

#include "core/crypto.h"
#include "core/random.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QThread>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace imhere;
using imhere::bench::must;
using namespace imhere::kiosk;
using Micros = std::vector<double>;

namespace {

constexpr int k_defaultTaps = 10'000;
constexpr int k_defaultStarts = 5;
constexpr int k_processTimeoutMs = 60'000;
constexpr int k_tapDrainTimeoutMs = 30 * 60'000;
const std::string k_window = "7a1c2a3b-0000-4000-8000-00000000be9c";
const std::string k_course = "6f1c2a3b-0000-4000-8000-00000000be9c";

double nowMicros()
{
    using namespace std::chrono;
    return static_cast<double>(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count()) / 1000.0;
}

using bench::Quantiles;
using bench::quantilesOf;

QByteArray uidFor(int n)
{
    QByteArray uid(7, '\0');
    uid[0] = '\x04';
    for (int i = 0; i < 4; ++i)
        uid[2 + i] = static_cast<char>((n >> (8 * (3 - i))) & 0xff);
    uid[6] = '\x80';
    return uid;
}

// A valid public id (10 base32 characters), different for each n < 32^5, so
// that the kiosk's outbox events decode as the server would read them.
std::string publicIdFor(int n)
{
    constexpr std::string_view k_base32 = "abcdefghijklmnopqrstuvwxyz234567";
    std::string id = "bench00000";
    for (std::size_t i = id.size(); i-- > 5; n /= 32)
        id[i] = k_base32[static_cast<std::size_t>(n % 32)];
    return id;
}

// A store as the first sync leaves it: keys, one course with an open window,
// `people` trainees with badges, and credentials for a server that is not there.
void seedStore(const std::string& path, int people)
{
    KioskStore store = must(KioskStore::open(path), "open store");
    const Bytes badgeKey = randomBytes(32);
    sync::SyncResponse r;
    const std::int64_t now = SystemClock().nowMs();
    r.serverTimeMs = now;
    r.cursor = 1;
    r.kiosk = sync::KioskIdentity{1, "Bench door", base64UrlEncode(randomBytes(32)), base64UrlEncode(badgeKey)};
    r.changes.courses = {sync::CourseChange{k_course, "Bench course", "Europe/London", 10, 60, false}};
    r.changes.windows = {sync::WindowChange{k_window, k_course, "Bench class", now - 60'000, now - 60'000, std::nullopt}};
    for (int i = 0; i < people; ++i) {
        const std::string id = publicIdFor(i);
        if (!isPublicId(id))
            throw std::runtime_error("not a public id: " + id);
        const QByteArray uid = uidFor(i);
        r.changes.people.push_back({id, "Trainee " + std::to_string(i) + " Bench", std::nullopt, false});
        r.changes.badges.push_back(
            {badgeHash(badgeKey, {reinterpret_cast<const std::uint8_t*>(uid.constData()), static_cast<std::size_t>(uid.size())}),
             id, false});
        r.changes.enrollments.push_back({id, k_course, sync::Role::Student, false});
    }
    must(store.applySync(r, 0, now), "seed store");
    must(store.saveCredentials({"http://127.0.0.1:9", "kt_bench", ""}), "credentials");
}

void printRow(const char* what, const Quantiles& q)
{
    std::printf("  %-44s p50 %8.0f us   p99 %8.0f us\n", what, q.p50, q.p99);
}

// 1. The service on this thread, interleaved with bare commits.
void benchService(const QString& dir, int taps)
{
    const std::string tapPath = QDir(dir).filePath(QStringLiteral("service.db")).toStdString();
    seedStore(tapPath, taps);
    KioskStore store = must(KioskStore::open(tapPath), "open store");
    Database bare = must(Database::open(QDir(dir).filePath(QStringLiteral("bare.db")).toStdString()), "open bare");
    must(bare.exec("CREATE TABLE t (id TEXT NOT NULL, at INTEGER NOT NULL) STRICT"), "create table");

    SystemClock clock;
    CheckInService service(store, clock);
    double fedBackAt = 0;
    int checkedIn = 0;
    QObject::connect(&service, &CheckInService::feedback, &service, [&](const TapFeedback& fb) {
        fedBackAt = nowMicros();
        checkedIn += fb.kind == TapFeedback::Kind::CheckedIn ? 1 : 0;
    });
    Micros tap;
    Micros refresh; // after the feedback, the idle screen's status is re-read
    Micros commit;
    tap.reserve(static_cast<std::size_t>(taps));
    commit.reserve(static_cast<std::size_t>(taps));
    for (int i = 0; i < taps; ++i) {
        const double t0 = nowMicros();
        service.handleRead({uidFor(i), hardware::BadgeSource::Nfc});
        tap.push_back(fedBackAt - t0);
        refresh.push_back(nowMicros() - fedBackAt);

        const double c0 = nowMicros();
        auto txn = must(Transaction::begin(bare), "begin");
        auto insert = must(bare.prepare("INSERT INTO t (id, at) VALUES (?, ?)"), "prepare");
        must(insert.bindAll(newUuidV4(), clock.nowMs()).run(), "insert");
        must(txn.commit(), "commit");
        commit.push_back(nowMicros() - c0);
    }
    if (checkedIn != taps)
        throw std::runtime_error("only " + std::to_string(checkedIn) + " taps were check-ins");
    const Quantiles t = quantilesOf(tap);
    const Quantiles c = quantilesOf(commit);
    std::printf("\n1. Tap -> durable record -> feedback signal, %d taps (CheckInService)\n", taps);
    printRow("tap -> feedback", t);
    printRow("bare SQLite commit (WAL, synchronous=FULL)", c);
    printRow("then: status refresh for the idle screen", quantilesOf(refresh));
    std::printf("  ratio tap / bare commit:                       p50 %.2fx     p99 %.2fx   (goal p99 <= 2x)\n",
                t.p50 / c.p50, t.p99 / c.p99);
    bench::tableRow("kiosk tap -> feedback, p50", t.p50 / 1000, "bare SQLite commit (synchronous=FULL), p50", c.p50 / 1000, "ms");
    bench::tableRow("kiosk tap -> feedback, p99", t.p99 / 1000, "bare SQLite commit (synchronous=FULL), p99", c.p99 / 1000, "ms");
}

// 2. Through the kiosk's threads: GUI -> store thread -> GUI.
void benchThreads(const QString& dir, int taps)
{
    const std::string path = QDir(dir).filePath(QStringLiteral("threads.db")).toStdString();
    seedStore(path, taps);
    CurlGlobal curl;
    SystemClock clock;
    auto station = must(Station::create(path, std::make_unique<CurlTransport>(CurlTransport::Options{}), clock),
                        "station");
    station->start();
    KioskController& controller = station->controller();
    CheckInService* service = &station->checkIns();
    Micros latency;
    latency.reserve(static_cast<std::size_t>(taps));
    int checkedIn = 0;
    for (int i = 0; i < taps; ++i) {
        QEventLoop loop;
        const auto connection = QObject::connect(&controller, &KioskController::screenChanged, &loop, &QEventLoop::quit);
        const hardware::BadgeRead read{uidFor(i), hardware::BadgeSource::Nfc};
        const double t0 = nowMicros();
        QMetaObject::invokeMethod(service, [service, read] { service->handleRead(read); }, Qt::QueuedConnection);
        loop.exec();
        latency.push_back(nowMicros() - t0);
        QObject::disconnect(connection);
        checkedIn += controller.screen() == KioskController::Screen::CheckedIn ? 1 : 0;
    }
    if (checkedIn != taps)
        throw std::runtime_error("threads: only " + std::to_string(checkedIn) + " taps were check-ins");
    std::printf("\n2. The same through the kiosk's threads (GUI -> store thread -> KioskController)\n");
    printRow("tap -> screenChanged on the GUI thread", quantilesOf(latency));
}

// 3. Cold start to the first frame.
void benchColdStart(const QString& dir, int starts, int people)
{
    const QString data = QDir(dir).filePath(QStringLiteral("coldstart"));
    QDir().mkpath(data);
    const std::string path = QDir(data).filePath(QStringLiteral("kiosk.db")).toStdString();
    if (!QFile::exists(QString::fromStdString(path)))
        seedStore(path, people);
    Micros spawnToFrame;
    Micros mainToFrame;
    for (int i = 0; i < starts; ++i) {
        QProcess kiosk;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        kiosk.setProcessEnvironment(env);
        const double t0 = nowMicros();
        kiosk.start(QStringLiteral(IMHERE_KIOSK_BIN), {QStringLiteral("--self-test"), QStringLiteral("--data"), data});
        QByteArray out;
        while (!out.contains("first frame") && kiosk.waitForReadyRead(k_processTimeoutMs))
            out += kiosk.readAllStandardOutput();
        const double t1 = nowMicros();
        kiosk.waitForFinished(k_processTimeoutMs);
        const qsizetype at = out.indexOf("first frame ");
        if (at < 0)
            throw std::runtime_error("imhere-kiosk --self-test printed no first frame: " + out.toStdString());
        spawnToFrame.push_back(t1 - t0);
        mainToFrame.push_back(out.mid(at + 12).split(' ').front().toDouble() * 1000.0);
    }
    std::printf("\n3. Cold start to first frame, imhere-kiosk --self-test offscreen, %d runs, %d-person roster\n",
                starts, people);
    std::printf("  spawn -> first frame:  median %6.0f ms   worst %6.0f ms\n", quantilesOf(spawnToFrame).p50 / 1000,
                *std::ranges::max_element(spawnToFrame) / 1000);
    std::printf("  main() -> first frame: median %6.0f ms\n", quantilesOf(mainToFrame).p50 / 1000);
    bench::tableFigure("kiosk cold start, spawn -> first frame, median", quantilesOf(spawnToFrame).p50 / 1000, "ms",
                       "offscreen --self-test");
}

struct Memory {
    long rssKiB = 0;
    long peakKiB = 0;
    long anonKiB = 0; // heap and stacks: what would grow with a leak
    long fileKiB = 0; // mapped libraries and fonts
    long shmemKiB = 0; // SQLite's WAL index
};

Memory memoryOf(qint64 pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    Memory m;
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmRSS:"))
            m.rssKiB = std::stol(line.substr(6));
        else if (line.starts_with("VmHWM:"))
            m.peakKiB = std::stol(line.substr(6));
        else if (line.starts_with("RssAnon:"))
            m.anonKiB = std::stol(line.substr(8));
        else if (line.starts_with("RssFile:"))
            m.fileKiB = std::stol(line.substr(8));
        else if (line.starts_with("RssShmem:"))
            m.shmemKiB = std::stol(line.substr(9));
    }
    return m;
}

std::int64_t localCheckIns(const std::string& path)
{
    OpenOptions ro;
    ro.readOnly = true;
    auto db = Database::open(path, ro);
    if (!db)
        return -1;
    auto s = db->prepare("SELECT COUNT(*) FROM check_ins WHERE local = 1");
    if (!s || !s->step().value_or(false))
        return -1;
    return s->int64At(0);
}

// 4. A real kiosk, N taps through its reader socket.
void benchMemory(const QString& dir, int taps)
{
    const QString data = QDir(dir).filePath(QStringLiteral("memory"));
    QDir(data).removeRecursively();
    QDir().mkpath(data);
    const std::string path = QDir(data).filePath(QStringLiteral("kiosk.db")).toStdString();
    seedStore(path, taps);
    const QString socketPath = QDir(data).filePath(QStringLiteral("reader.sock"));
    QProcess kiosk;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    kiosk.setProcessEnvironment(env);
    kiosk.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    kiosk.start(QStringLiteral(IMHERE_KIOSK_BIN),
                {QStringLiteral("--data"), data, QStringLiteral("--reader"), QStringLiteral("sim:") + socketPath});
    QElapsedTimer waited;
    waited.start();
    while (!QFile::exists(socketPath) && waited.elapsed() < k_processTimeoutMs)
        QThread::msleep(50);
    QThread::msleep(2'000); // let the first frames render before the idle reading
    const Memory idle = memoryOf(kiosk.processId());

    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const QByteArray sp = QFile::encodeName(socketPath);
    std::memcpy(addr.sun_path, sp.constData(), std::min(sizeof addr.sun_path - 1, static_cast<std::size_t>(sp.size())));
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect to the kiosk's reader socket");
    for (int i = 0; i < taps; ++i) {
        const QByteArray line = uidFor(i).toHex() + '\n';
        if (::write(fd, line.constData(), static_cast<std::size_t>(line.size())) != line.size())
            throw std::runtime_error("write to the reader socket failed");
    }
    ::close(fd);
    waited.restart();
    std::int64_t done = 0;
    std::vector<std::pair<std::int64_t, Memory>> onTheWay; // at each quarter of the taps
    while ((done = localCheckIns(path)) < taps && waited.elapsed() < k_tapDrainTimeoutMs) {
        if (done >= static_cast<std::int64_t>(onTheWay.size() + 1) * taps / 4)
            onTheWay.emplace_back(done, memoryOf(kiosk.processId()));
        QThread::msleep(200);
    }
    QThread::msleep(1'000);
    const Memory after = memoryOf(kiosk.processId());
    kiosk.terminate();
    kiosk.waitForFinished(k_processTimeoutMs);
    std::printf("\n4. Resident memory of imhere-kiosk (offscreen, offline), %lld of %d taps recorded\n",
                static_cast<long long>(done), taps);
    auto mib = [](long kib) { return static_cast<double>(kib) / 1024.0; };
    auto row = [&mib](const char* what, const Memory& m) {
        std::printf("  %-18s %6.1f MiB   (heap/stacks %5.1f, files %5.1f, shared %4.1f)\n", what, mib(m.rssKiB),
                    mib(m.anonKiB), mib(m.fileKiB), mib(m.shmemKiB));
    };
    row("idle after start:", idle);
    for (const auto& [count, m] : onTheWay)
        row(("after " + std::to_string(count) + " taps:").c_str(), m);
    row("after the taps:", after);
    std::printf("  peak: %.1f MiB\n", mib(after.peakKiB));
    bench::tableRow(("kiosk resident memory after " + std::to_string(done) + " taps").c_str(), mib(after.rssKiB),
                    "the same kiosk idle after start", mib(idle.rssKiB), "MiB");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int taps = k_defaultTaps;
    int starts = k_defaultStarts;
    QString dir = QStringLiteral(IMHERE_BENCH_DIR "/bench-kiosk.tmp");
    QString parts = QStringLiteral("1234");
    const QStringList args = QCoreApplication::arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QStringLiteral("--taps"))
            taps = args[i + 1].toInt();
        else if (args[i] == QStringLiteral("--starts"))
            starts = args[i + 1].toInt();
        else if (args[i] == QStringLiteral("--dir"))
            dir = args[i + 1];
        else if (args[i] == QStringLiteral("--parts"))
            parts = args[i + 1];
    }
    if (taps <= 0 || starts <= 0 || (args.size() % 2) == 0) {
        std::fprintf(stderr, "usage: bench_kiosk [--taps N] [--starts N] [--dir DIR] [--parts 1234]\n");
        return 2;
    }
    QDir(dir).removeRecursively();
    if (!QDir().mkpath(dir)) {
        std::fprintf(stderr, "bench_kiosk: cannot create %s\n", qPrintable(dir));
        return 1;
    }
    std::printf("bench_kiosk: %d taps, files in %s\n", taps, qPrintable(dir));
    try {
        if (parts.contains(u'1'))
            benchService(dir, taps);
        if (parts.contains(u'2'))
            benchThreads(dir, taps);
        if (parts.contains(u'3'))
            benchColdStart(dir, starts, taps);
        if (parts.contains(u'4'))
            benchMemory(dir, taps);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_kiosk: %s\n", e.what());
        return 1;
    }
    QDir(dir).removeRecursively();
    return 0;
}
