// The keyboard-wedge parser and its stream loop, fed struct input_event
// records exactly as evdev delivers them — directly and through a pipe.

#include "hardware/wedgeparser.h"
#include "hardware/wedgestream.h"

#include <gtest/gtest.h>

#include <ctime>
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

} // namespace

TEST(WedgeParser, DigitsUntilEnterMakeAUid)
{
    WedgeParser parser;
    auto t = 1'000'000us;
    const auto outcomes = feedAll(parser, typed("0012345678\n", t));
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Uid);
    EXPECT_EQ(outcomes[0].text, "0012345678");
    EXPECT_FALSE(parser.deadline());
}

TEST(WedgeParser, ShiftedHexAndKeypadAreNormalised)
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
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Uid);
    EXPECT_EQ(outcomes[0].text, "af049");
}

TEST(WedgeParser, LengthAndCharsetAreChecked)
{
    WedgeParser parser;
    auto t = 1s + 0us;
    auto outcomes = feedAll(parser, typed("123\n", t));
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Rejected);

    outcomes = feedAll(parser, typed(std::string(21, '7') + "\n", t));
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Rejected);

    outcomes = feedAll(parser, typed("1234-5678\n", t));
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Rejected);

    // The parser is clean again afterwards.
    outcomes = feedAll(parser, typed(std::string(20, '7') + "\n", t));
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Uid);
}

TEST(WedgeParser, RepeatsAndStrayEnterAreIgnored)
{
    WedgeParser parser;
    auto t = 1s + 0us;
    EXPECT_TRUE(feedAll(parser, typed("\n", t)).empty());
    std::vector<input_event> events = typed("1234", t);
    events.push_back(eventAt(t, EV_KEY, KEY_4, 2)); // auto-repeat of a held key
    auto tail = typed("5\n", t);
    events.insert(events.end(), tail.begin(), tail.end());
    const auto outcomes = feedAll(parser, events);
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].text, "12345");
}

TEST(WedgeParser, AGapDropsTheHalfReadAndTheNextReadStillCounts)
{
    WedgeParser parser;
    auto t = 1s + 0us;
    auto events = typed("00123", t);
    t += limits::k_wedgeInterKeyTimeout + 50ms; // the reader lost the card mid-read
    auto next = typed("0045678901\n", t);
    events.insert(events.end(), next.begin(), next.end());
    const auto outcomes = feedAll(parser, events);
    ASSERT_EQ(outcomes.size(), 2U);
    EXPECT_EQ(outcomes[0].kind, Kind::Dropped);
    EXPECT_EQ(outcomes[0].text, "00123");
    EXPECT_EQ(outcomes[1].kind, Kind::Uid);
    EXPECT_EQ(outcomes[1].text, "0045678901");
}

TEST(WedgeParser, ExpireDropsASilentHalfReadOnlyAfterTheTimeout)
{
    WedgeParser parser;
    auto t = 1s + 0us;
    EXPECT_TRUE(feedAll(parser, typed("0012", t)).empty());
    ASSERT_TRUE(parser.deadline());
    EXPECT_FALSE(parser.expire(*parser.deadline() - 1ms));
    const auto dropped = parser.expire(*parser.deadline() + 1ms);
    ASSERT_TRUE(dropped);
    EXPECT_EQ(dropped->kind, Kind::Dropped);
    // Enter after the drop is a stray key, not a short UID.
    EXPECT_TRUE(feedAll(parser, typed("\n", t)).empty());
}

TEST(WedgeParser, LostEventsDropTheRead)
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
    ASSERT_EQ(outcomes.size(), 2U);
    EXPECT_EQ(outcomes[0].kind, Kind::Dropped);
    EXPECT_EQ(outcomes[0].text, "0012");
    EXPECT_EQ(outcomes[1].kind, Kind::Uid);
    EXPECT_EQ(outcomes[1].text, "0012345678");
}

// Through a pipe: the loop reads records as evdev delivers them, wakes up on
// its own to drop a half read, and stops promptly.
class WedgeStreamTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto pipe = makePipe();
        ASSERT_TRUE(pipe);
        m_pipe = std::move(*pipe);
        m_loop = std::thread([this] {
            m_end = runWedgeStream(m_pipe.readEnd.get(), m_parser, m_stop,
                                   [this](const WedgeOutcome& o) {
                                       std::lock_guard lock(m_mutex);
                                       m_outcomes.push_back(o);
                                   },
                                   CLOCK_MONOTONIC);
        });
    }
    void TearDown() override
    {
        m_stop.notify();
        if (m_loop.joinable()) {
            m_loop.join();
        }
    }
    void write(const std::vector<input_event>& events, std::size_t splitAt = 0)
    {
        const auto* bytes = reinterpret_cast<const char*>(events.data());
        const std::size_t size = events.size() * sizeof(input_event);
        if (splitAt > 0 && splitAt < size) { // a record cut in two by the pipe
            ASSERT_TRUE(writeAll(m_pipe.writeEnd.get(), bytes, splitAt));
            std::this_thread::sleep_for(5ms);
            ASSERT_TRUE(writeAll(m_pipe.writeEnd.get(), bytes + splitAt, size - splitAt));
        } else {
            ASSERT_TRUE(writeAll(m_pipe.writeEnd.get(), bytes, size));
        }
    }
    std::vector<WedgeOutcome> waitFor(std::size_t count, std::chrono::milliseconds limit = 3s)
    {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            {
                std::lock_guard lock(m_mutex);
                if (m_outcomes.size() >= count) {
                    return m_outcomes;
                }
            }
            std::this_thread::sleep_for(2ms);
        }
        std::lock_guard lock(m_mutex);
        return m_outcomes;
    }

    Pipe m_pipe;
    StopSignal m_stop;
    WedgeParser m_parser;
    WedgeStreamEnd m_end;
    std::thread m_loop;
    std::mutex m_mutex;
    std::vector<WedgeOutcome> m_outcomes;
};

TEST_F(WedgeStreamTest, RecordsSplitAcrossWritesStillParse)
{
    auto t = monotonicNow();
    write(typed("0012345678\n", t), sizeof(input_event) * 7 + 5);
    const auto outcomes = waitFor(1);
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Uid);
    EXPECT_EQ(outcomes[0].text, "0012345678");
}

TEST_F(WedgeStreamTest, HalfReadIsDroppedWithoutFurtherInput)
{
    auto t = monotonicNow();
    write(typed("00123", t));
    const auto started = std::chrono::steady_clock::now();
    const auto outcomes = waitFor(1);
    ASSERT_EQ(outcomes.size(), 1U);
    EXPECT_EQ(outcomes[0].kind, Kind::Dropped);
    EXPECT_EQ(outcomes[0].text, "00123");
    EXPECT_GE(std::chrono::steady_clock::now() - started, limits::k_wedgeInterKeyTimeout - 50ms);
}

TEST_F(WedgeStreamTest, ReadInterleavedWithATimeout)
{
    auto t = monotonicNow();
    write(typed("0099", t));
    std::this_thread::sleep_for(limits::k_wedgeInterKeyTimeout + 100ms);
    t = monotonicNow();
    write(typed("0012345678\n", t));
    const auto outcomes = waitFor(2);
    ASSERT_EQ(outcomes.size(), 2U);
    EXPECT_EQ(outcomes[0].kind, Kind::Dropped);
    EXPECT_EQ(outcomes[0].text, "0099");
    EXPECT_EQ(outcomes[1].kind, Kind::Uid);
    EXPECT_EQ(outcomes[1].text, "0012345678");
}

TEST_F(WedgeStreamTest, ClosedInputEndsTheLoopAsAFailure)
{
    m_pipe.writeEnd.reset();
    m_loop.join();
    EXPECT_FALSE(m_end.stopped);
    EXPECT_FALSE(m_end.error.empty());
}

TEST_F(WedgeStreamTest, StopEndsTheLoopPromptly)
{
    const auto started = std::chrono::steady_clock::now();
    m_stop.notify();
    m_loop.join();
    EXPECT_TRUE(m_end.stopped);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}
