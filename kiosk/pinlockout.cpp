#include "pinlockout.h"
#include "kiosklimits.h"

#include <algorithm>
#include <charconv>

namespace imhere::kiosk {

namespace {

// meta "pin_lock:<person>" = "<failures> <1 while a lockout is under way, else 0>"
std::string keyFor(const std::string& person)
{
    return "pin_lock:" + person;
}

} // namespace

PinLockout::PinLockout(KioskStore& store, const Clock& monotonic)
    : m_store(store), m_monotonic(monotonic), m_startedAt(monotonic.nowMs())
{
}

std::int64_t PinLockout::lockoutMs(int nth)
{
    std::int64_t ms = limits::k_pinCooldownMs;
    for (int i = 1; i < nth && ms < limits::k_pinCooldownMaxMs; ++i)
        ms *= 2;
    return std::min(ms, limits::k_pinCooldownMaxMs);
}

PinLockout::State& PinLockout::stateOf(const std::string& person)
{
    if (const auto it = m_states.find(person); it != m_states.end())
        return it->second;
    State state;
    int locked = 0;
    if (auto saved = m_store.meta(keyFor(person)); saved && *saved) {
        const std::string& text = **saved;
        const char* end = text.data() + text.size();
        auto [next, ec] = std::from_chars(text.data(), end, state.failures);
        if (ec == std::errc{} && next != end)
            (void)std::from_chars(next + 1, end, locked);
    }
    // Stored as under way: the lockout starts over, in full, from the start
    // of this run of the kiosk.
    if (locked == 1 && state.failures >= limits::k_pinMaxFailures)
        state.lockedUntil = m_startedAt + lockoutMs(state.failures / limits::k_pinMaxFailures);
    return m_states.emplace(person, state).first->second;
}

void PinLockout::save(const std::string& person, const State& state)
{
    (void)m_store.setMeta(keyFor(person),
                          std::to_string(state.failures) + (state.lockedUntil != 0 ? " 1" : " 0"));
}

std::int64_t PinLockout::lockedForMs(const std::string& person)
{
    State& state = stateOf(person);
    if (state.lockedUntil == 0)
        return 0;
    const std::int64_t left = state.lockedUntil - m_monotonic.nowMs();
    if (left > 0)
        return left;
    state.lockedUntil = 0; // served
    save(person, state);
    return 0;
}

PinLockout::Failure PinLockout::recordFailure(const std::string& person)
{
    State& state = stateOf(person);
    ++state.failures;
    Failure failure;
    const int intoRun = state.failures % limits::k_pinMaxFailures;
    if (intoRun == 0) {
        failure.lockedForMs = lockoutMs(state.failures / limits::k_pinMaxFailures);
        state.lockedUntil = m_monotonic.nowMs() + failure.lockedForMs;
        failure.triesLeft = limits::k_pinMaxFailures;
    } else {
        failure.triesLeft = limits::k_pinMaxFailures - intoRun;
    }
    save(person, state);
    return failure;
}

void PinLockout::recordSuccess(const std::string& person)
{
    State& state = stateOf(person);
    state = State{};
    save(person, state);
}

} // namespace imhere::kiosk
