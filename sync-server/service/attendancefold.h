#pragma once
// Folds the append-only events of one (person, window) into the attendance
// record (DESIGN §3): punctuality, corrections and flags. Pure, so it is the
// same whichever backend stored the events.

#include "sync-server/store/model.h"

#include <vector>

namespace imhere::server {

// Facts are given in the order they were stored, which breaks ties in `at`.
// - The first check-in decides punctuality through core::assessCheckIn; one
//   later than absent_after_min is kept but counts as absent.
// - Corrections apply in time order, the last one wins; two corrections on
//   one base are a conflict: both stay, the later applies, and the record
//   is marked for review.
// - Without a check-in or correction the record is absent once the window
//   has closed, and undecided (no status) while it is still open.
// Whether a person has a record in a window at all. They do when they were
// in the course at some moment of it (from its start until it closed, or
// until now while it is open), or when a check-in or correction of theirs
// is stored for it (a register imported after they joined, a tap accepted
// just before a roster change reached the server). Otherwise the window was
// before they joined or after they left: "not enrolled", with no record,
// so it counts in no figure. `spans` empty (no history kept): always enrolled.
[[nodiscard]] bool enrolledIn(const Window& window, const std::vector<EnrolmentSpan>& spans,
                              const RecordEvents& events);
// The same with `attended`: whether a check-in or correction of theirs is
// stored for the window.
[[nodiscard]] bool enrolledIn(const Window& window, const std::vector<EnrolmentSpan>& spans, bool attended);

[[nodiscard]] AttendanceRecord foldRecord(const Course& course, const Window& window, const Member& member,
                                          RecordEvents events);

} // namespace imhere::server
