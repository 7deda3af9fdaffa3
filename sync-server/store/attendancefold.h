#pragma once
// Folds the append-only events of one (person, window) into the attendance
// record (DESIGN §3). Pure, so every store backend shares the same rules.

#include "model.h"

#include <vector>

namespace imhere::server {

struct CheckInFact {
    std::string id;
    std::int64_t at = 0;
    CheckInSource source = CheckInSource::Nfc;
};

struct CorrectionFact {
    std::string id;
    std::int64_t at = 0;
    bool present = true;
    std::optional<std::string> base;
};

struct FlagFact {
    std::string id;
    std::int64_t at = 0;
    Flag flag = Flag::LeftEarly;
    bool set = true;
};

struct RecordEvents {
    std::vector<CheckInFact> checkIns;
    std::vector<CorrectionFact> corrections;
    std::vector<FlagFact> flags;
};

// Facts are given in the order they were stored, which breaks ties in `at`.
// - The first check-in decides punctuality through core::assessCheckIn; one
//   later than absent_after_min is kept but counts as absent.
// - Corrections apply in time order, the last one wins; two corrections on
//   one base are a conflict: both stay, the later applies, and the record
//   is marked for review.
// - Without a check-in or correction the record is absent once the window
//   has closed, and undecided (no status) while it is still open.
[[nodiscard]] AttendanceRecord foldRecord(const Course& course, const Window& window, const Member& member,
                                          RecordEvents events);

} // namespace imhere::server
