// The keyboard-wedge parser and its stream loop, fed struct input_event
// records exactly as evdev delivers them — directly and through a pipe.

#include "hardware/wedgeparser.h"
#include "hardware/wedgestream.h"

#include "tests/support/qtestsupport.h"

#include <ctime>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace imhere::hardware;
using namespace std::chrono_literals;
using Kind = WedgeOutcome::Kind;

namespace {

input_event eventAt(std::chrono::microseconds t, unsigned short type, unsigned short code, int value)
{
    input_event e{};
    e.input_event_sec = static_cast<decltype(e.input_event_sec)>(t.count() / 1'000'000);
    e.input_event_usec = static_cast<decltype(e.input_event_usec)>(t.count() % 1'000'000);
    e.type = type;
    e.code = code;
    e.value = value;
    return e;
}

// What a wedge reader sends per key: press, SYN, release, SYN, 8 ms apart.
void typeKey(std::vector<input_event>& out, std::chrono::microseconds& t, unsigned short code)
{
    out.push_back(eventAt(t, EV_MSC, MSC_SCAN, 0x70000));
    out.push_back(eventAt(t, EV_KEY, code, 1));
    out.push_back(eventAt(t, EV_SYN, SYN_REPORT, 0));
    out.push_back(eventAt(t + 2ms, EV_KEY, code, 0));
    out.push_back(eventAt(t + 2ms, EV_SYN, SYN_REPORT, 0));
    t += 8ms;
}

unsigned short keyFor(char c)
{
    switch (c) {
    case '0': return KEY_0; case '1': return KEY_1; case '2': return KEY_2; case '3': return KEY_3;
    case '4': return KEY_4; case '5': return KEY_5; case '6': return KEY_6; case '7': return KEY_7;
    case '8': return KEY_8; case '9': return KEY_9; case 'a': return KEY_A; case 'b': return KEY_B;
    case 'c': return KEY_C; case 'd': return KEY_D; case 'e': return KEY_E; case 'f': return KEY_F;
    case '\n': return KEY_ENTER; case '-': return KEY_MINUS;
    default: return KEY_SPACE;
    }
}

std::vector<input_event> typed(std::string_view text, std::chrono::microseconds& t)
{
    std::vector<input_event> out;
    for (const char c : text) {
        typeKey(out, t, keyFor(c));
    }
    return out;
}

std::vector<WedgeOutcome> feedAll(WedgeParser& parser, const std::vector<input_event>& events)
{
    std::vector<WedgeOutcome> outcomes;
    for (const auto& e : events) {
        if (auto o = parser.feed(e)) {
            outcomes.push_back(*o);
        }
    }
    return outcomes;
}

std::chrono::microseconds monotonicNow()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::microseconds(ts.tv_nsec / 1000);
}

// Through a pipe: the loop reads records as evdev delivers them, wakes up on
// its own to drop a half read, and stops promptly. The loop runs from start()
// until the object is destroyed.
class WedgeStreamLoop {
public:
    WedgeStreamLoop() = default;
    WedgeStreamLoop(const WedgeStreamLoop&) = delete;
    WedgeStreamLoop& operator=(const WedgeStreamLoop&) = delete;
    ~WedgeStreamLoop()
    {
        stop.notify();
        if (loop.joinable()) {
            loop.join();
        }
    }

    // Opens the pipe and starts the loop on it; false if there is no pipe.
    bool start()
    {
        auto made = makePipe();
        if (!made) {
            return false;
        }
        pipe = std::move(*made);
        loop = std::thread([this] {
            end = runWedgeStream(pipe.readEnd.get(), parser, stop,
                                 [this](const WedgeOutcome& o) {
                                     std::lock_guard lock(mutex);
                                     outcomes.push_back(o);
                                 },
                                 CLOCK_MONOTONIC);
        });
        return true;
    }
    // Writes the records into the pipe, cut in two at `splitAt` bytes if that
    // falls inside them; false if a write failed.
    bool write(const std::vector<input_event>& events, std::size_t splitAt = 0)
    {
        const auto* bytes = reinterpret_cast<const char*>(events.data());
        const std::size_t size = events.size() * sizeof(input_event);
        if (splitAt > 0 && splitAt < size) { // a record cut in two by the pipe
            if (!writeAll(pipe.writeEnd.get(), bytes, splitAt)) {
                return false;
            }
            std::this_thread::sleep_for(5ms);
            return writeAll(pipe.writeEnd.get(), bytes + splitAt, size - splitAt);
        }
        return writeAll(pipe.writeEnd.get(), bytes, size);
    }
    std::vector<WedgeOutcome> waitFor(std::size_t count, std::chrono::milliseconds limit = 3s)
    {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            {
                std::lock_guard lock(mutex);
                if (outcomes.size() >= count) {
                    return outcomes;
                }
            }
            std::this_thread::sleep_for(2ms);
        }
        std::lock_guard lock(mutex);
        return outcomes;
    }

    Pipe pipe;
    StopSignal stop;
    WedgeParser parser;
    WedgeStreamEnd end;
    std::thread loop;
    std::mutex mutex;
    std::vector<WedgeOutcome> outcomes;
};

// Durations in milliseconds, so QCOMPARE_GE and QCOMPARE_LT can print them.
double inMs(std::chrono::nanoseconds d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

} // namespace

class WedgeParserTest : public QObject {
    Q_OBJECT
private slots:
    void cleanup();

    // WedgeParser
    void digitsUntilEnterMakeAUid();
    void shiftedHexAndKeypadAreNormalised();
    void lengthAndCharsetAreChecked();
    void repeatsAndStrayEnterAreIgnored();
    void aGapDropsTheHalfReadAndTheNextReadStillCounts();
    void expireDropsASilentHalfReadOnlyAfterTheTimeout();
    void lostEventsDropTheRead();

    // The stream loop on a pipe (m_stream)
    void recordsSplitAcrossWritesStillParse();
    void halfReadIsDroppedWithoutFurtherInput();
    void readInterleavedWithATimeout();
    void closedInputEndsTheLoopAsAFailure();
    void stopEndsTheLoopPromptly();

private:
    // Starts a fresh stream loop in m_stream.
    bool startStream()
    {
        m_stream = std::make_unique<WedgeStreamLoop>();
        return m_stream->start();
    }

    std::unique_ptr<WedgeStreamLoop> m_stream; // stopped and joined by cleanup()
};

void WedgeParserTest::cleanup()
{
    m_stream.reset();
}

void WedgeParserTest::digitsUntilEnterMakeAUid()
{
    WedgeParser parser;
    auto t = 1'000'000us;
    const auto outcomes = feedAll(parser, typed("0012345678\n", t));
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Uid);
    QCOMPARE(outcomes[0].text, "0012345678");
    QVERIFY(!parser.deadline());
}

void WedgeParserTest::shiftedHexAndKeypadAreNormalised()
{
    WedgeParser parser;
    auto t = 5s + 0us;
    std::vector<input_event> events;
    events.push_back(eventAt(t, EV_KEY, KEY_LEFTSHIFT, 1));
    typeKey(events, t, KEY_A);
    typeKey(events, t, KEY_F);
    events.push_back(eventAt(t, EV_KEY, KEY_LEFTSHIFT, 0));
    for (const auto key : {KEY_KP0, KEY_KP4, KEY_KP9, KEY_KPENTER}) {
        typeKey(events, t, static_cast<unsigned short>(key));
    }
    const auto outcomes = feedAll(parser, events);
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Uid);
    QCOMPARE(outcomes[0].text, "af049");
}

void WedgeParserTest::lengthAndCharsetAreChecked()
{
    WedgeParser parser;
    auto t = 1s + 0us;
    auto outcomes = feedAll(parser, typed("123\n", t));
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Rejected);

    outcomes = feedAll(parser, typed(std::string(21, '7') + "\n", t));
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Rejected);

    outcomes = feedAll(parser, typed("1234-5678\n", t));
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Rejected);

    // The parser is clean again afterwards.
    outcomes = feedAll(parser, typed(std::string(20, '7') + "\n", t));
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Uid);
}

void WedgeParserTest::repeatsAndStrayEnterAreIgnored()
{
    WedgeParser parser;
    auto t = 1s + 0us;
    QVERIFY(feedAll(parser, typed("\n", t)).empty());
    std::vector<input_event> events = typed("1234", t);
    events.push_back(eventAt(t, EV_KEY, KEY_4, 2)); // auto-repeat of a held key
    auto tail = typed("5\n", t);
    events.insert(events.end(), tail.begin(), tail.end());
    const auto outcomes = feedAll(parser, events);
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].text, "12345");
}

void WedgeParserTest::aGapDropsTheHalfReadAndTheNextReadStillCounts()
{
    WedgeParser parser;
    auto t = 1s + 0us;
    auto events = typed("00123", t);
    t += limits::k_wedgeInterKeyTimeout + 50ms; // the reader lost the card mid-read
    auto next = typed("0045678901\n", t);
    events.insert(events.end(), next.begin(), next.end());
    const auto outcomes = feedAll(parser, events);
    QCOMPARE(outcomes.size(), 2U);
    QCOMPARE(outcomes[0].kind, Kind::Dropped);
    QCOMPARE(outcomes[0].text, "00123");
    QCOMPARE(outcomes[1].kind, Kind::Uid);
    QCOMPARE(outcomes[1].text, "0045678901");
}

void WedgeParserTest::expireDropsASilentHalfReadOnlyAfterTheTimeout()
{
    WedgeParser parser;
    auto t = 1s + 0us;
    QVERIFY(feedAll(parser, typed("0012", t)).empty());
    QVERIFY(parser.deadline());
    QVERIFY(!parser.expire(*parser.deadline() - 1ms));
    const auto dropped = parser.expire(*parser.deadline() + 1ms);
    QVERIFY(dropped);
    QCOMPARE(dropped->kind, Kind::Dropped);
    // Enter after the drop is a stray key, not a short UID.
    QVERIFY(feedAll(parser, typed("\n", t)).empty());
}

void WedgeParserTest::lostEventsDropTheRead()
{
    WedgeParser parser;
    auto t = 1s + 0us;
    auto events = typed("0012", t);
    events.push_back(eventAt(t, EV_SYN, SYN_DROPPED, 0));
    // The tail of the damaged read must not pass for a (shorter) UID...
    auto rest = typed("345678\n", t);
    events.insert(events.end(), rest.begin(), rest.end());
    // ...but the next complete read counts.
    auto next = typed("0012345678\n", t);
    events.insert(events.end(), next.begin(), next.end());
    const auto outcomes = feedAll(parser, events);
    QCOMPARE(outcomes.size(), 2U);
    QCOMPARE(outcomes[0].kind, Kind::Dropped);
    QCOMPARE(outcomes[0].text, "0012");
    QCOMPARE(outcomes[1].kind, Kind::Uid);
    QCOMPARE(outcomes[1].text, "0012345678");
}

void WedgeParserTest::recordsSplitAcrossWritesStillParse()
{
    QVERIFY(startStream());
    auto t = monotonicNow();
    QVERIFY(m_stream->write(typed("0012345678\n", t), sizeof(input_event) * 7 + 5));
    const auto outcomes = m_stream->waitFor(1);
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Uid);
    QCOMPARE(outcomes[0].text, "0012345678");
}

void WedgeParserTest::halfReadIsDroppedWithoutFurtherInput()
{
    QVERIFY(startStream());
    auto t = monotonicNow();
    QVERIFY(m_stream->write(typed("00123", t)));
    const auto started = std::chrono::steady_clock::now();
    const auto outcomes = m_stream->waitFor(1);
    QCOMPARE(outcomes.size(), 1U);
    QCOMPARE(outcomes[0].kind, Kind::Dropped);
    QCOMPARE(outcomes[0].text, "00123");
    QCOMPARE_GE(inMs(std::chrono::steady_clock::now() - started), inMs(limits::k_wedgeInterKeyTimeout - 50ms));
}

void WedgeParserTest::readInterleavedWithATimeout()
{
    QVERIFY(startStream());
    auto t = monotonicNow();
    QVERIFY(m_stream->write(typed("0099", t)));
    std::this_thread::sleep_for(limits::k_wedgeInterKeyTimeout + 100ms);
    t = monotonicNow();
    QVERIFY(m_stream->write(typed("0012345678\n", t)));
    const auto outcomes = m_stream->waitFor(2);
    QCOMPARE(outcomes.size(), 2U);
    QCOMPARE(outcomes[0].kind, Kind::Dropped);
    QCOMPARE(outcomes[0].text, "0099");
    QCOMPARE(outcomes[1].kind, Kind::Uid);
    QCOMPARE(outcomes[1].text, "0012345678");
}

void WedgeParserTest::closedInputEndsTheLoopAsAFailure()
{
    QVERIFY(startStream());
    m_stream->pipe.writeEnd.reset();
    m_stream->loop.join();
    QVERIFY(!m_stream->end.stopped);
    QVERIFY(!m_stream->end.error.empty());
}

void WedgeParserTest::stopEndsTheLoopPromptly()
{
    QVERIFY(startStream());
    const auto started = std::chrono::steady_clock::now();
    m_stream->stop.notify();
    m_stream->loop.join();
    QVERIFY(m_stream->end.stopped);
    QCOMPARE_LT(inMs(std::chrono::steady_clock::now() - started), inMs(1s));
}

QTEST_GUILESS_MAIN(WedgeParserTest)
#include "wedgeparsertest.moc"
