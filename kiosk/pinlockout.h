#pragma once
// Wrong PINs, counted per staff member: every k_pinMaxFailures wrong PINs in
// a row lock that person out (not the kiosk, so a colleague can still sign
// in), for k_pinCooldownMs the first time and twice as long at each lockout
// after, up to k_pinCooldownMaxMs; a right PIN starts the count over.
// Durations are on the monotonic clock, so neither setting the wall clock
// nor a sync's clock correction shortens a lockout. The count and whether a
// lockout is under way are kept in the store; after a restart a lockout
// under way starts over in full, so restarting the kiosk never helps.
//
// Thread rules: lives with AdminService on the store thread.

#include "kioskstore.h"

#include "core/clock.h"

#include <cstdint>
#include <map>
#include <string>

namespace imhere::kiosk {

class PinLockout {
public:
    PinLockout(KioskStore& store, const Clock& monotonic);

    // How much longer `person` must wait before trying a PIN; 0: they may.
    [[nodiscard]] std::int64_t lockedForMs(const std::string& person);

    struct Failure {
        int triesLeft = 0;          // before the next lockout
        std::int64_t lockedForMs = 0; // the lockout this failure started; 0: none
    };
    Failure recordFailure(const std::string& person);
    void recordSuccess(const std::string& person);

    // The lockout after the `nth` (1, 2, ...) run of wrong PINs.
    [[nodiscard]] static std::int64_t lockoutMs(int nth);

private:
    struct State {
        int failures = 0;            // in a row, since the last right PIN
        std::int64_t lockedUntil = 0; // on the monotonic clock; 0: not locked
    };
    State& stateOf(const std::string& person);
    void save(const std::string& person, const State& state);

    KioskStore& m_store;
    const Clock& m_monotonic;
    std::int64_t m_startedAt; // on the monotonic clock
    std::map<std::string, State> m_states; // read from the store on first use
};

} // namespace imhere::kiosk
