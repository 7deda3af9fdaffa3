#pragma once
// Attendance windows and the append-only check-in, correction and flag events
// that records are folded from (service/attendancefold.h).
// Persistence only: the rules are the services' (sync-server/service/).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/result.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <span>
#include <string_view>
#include <vector>

namespace imhere::server {

class AttendanceRepository {
public:
    virtual ~AttendanceRepository() = default;

    [[nodiscard]] virtual Result<Window> createWindow(const NewWindow& window) = 0;
    [[nodiscard]] virtual Result<std::optional<Window>> window(std::string_view id) = 0;
    [[nodiscard]] virtual Result<std::vector<Window>> windowsOf(std::string_view course) = 0;
    // The course's windows that start between two instants (both included;
    // a window starts when scheduled, or when opened if never scheduled), in
    // the order of windowsOf: a report over a date range reads no more of a
    // long history than the range.
    [[nodiscard]] virtual Result<std::vector<Window>> windowsBetween(std::string_view course, std::int64_t fromMs,
                                                                     std::int64_t toMs) = 0;
    // Every window opened and not closed, in any course.
    [[nodiscard]] virtual Result<std::vector<Window>> openWindows() = 0;
    // Opening an open window or closing a closed one changes nothing. Actor
    // 0 is the server itself.
    [[nodiscard]] virtual Result<Window> openWindow(std::string_view id, std::int64_t at, PersonId actor) = 0;
    [[nodiscard]] virtual Result<Window> closeWindow(std::string_view id, std::int64_t at, PersonId actor) = 0;
    // Open again a closed window, until at least `until` (its new end).
    [[nodiscard]] virtual Result<Window> reopenWindow(std::string_view id, std::int64_t at, std::int64_t until,
                                                      PersonId actor) = 0;
    [[nodiscard]] virtual Result<bool> addCheckIn(const CheckInEvent& event) = 0;
    [[nodiscard]] virtual Result<bool> addCorrection(const CorrectionEvent& event) = 0;
    [[nodiscard]] virtual Result<bool> addFlag(const FlagEvent& event) = 0;
    [[nodiscard]] virtual Result<bool> hasCheckIn(PersonId person, std::string_view window) = 0;
    // Single check-ins made on the server (API, web pages), several at once:
    // one transaction, one durable commit. For each event in order the store
    // reads what `decide` needs (the window, the person's role in its course,
    // whether they already checked in, counting earlier check-ins of the
    // group) and stores the event when `decide` answers Stored. A refusal
    // stores nothing and leaves the others alone; an error stores none of
    // them. Returns one outcome per event. Called by CheckInWriter.
    using CheckInRule = std::function<CheckInOutcome(const CheckInEvent&, const Window&, std::optional<Role>, bool)>;
    [[nodiscard]] virtual Result<std::vector<CheckInOutcome>> commitCheckIns(std::span<const CheckInEvent> group,
                                                                             const CheckInRule& decide) = 0;
    // Every correction and flag change of one person in a course's windows,
    // oldest first (ties in the order stored).
    [[nodiscard]] virtual Result<std::vector<HistoryEvent>> recordHistory(std::string_view course, PersonId person) = 0;
    // The course's windows (or one window), everyone enrolled (or one
    // person) and their events: not_found for no such course or window.
    [[nodiscard]] virtual Result<RecordInputs> recordInputs(std::string_view course,
                                                            std::optional<std::string_view> window,
                                                            std::optional<PersonId> person) = 0;
    // The same for the windows that start between two instants (both
    // included), and only their events: reports over a date range read no
    // more of a long history than the range.
    [[nodiscard]] virtual Result<RecordInputs> recordInputsBetween(std::string_view course, std::int64_t fromMs,
                                                                   std::int64_t toMs) = 0;
    // The course's windows and everyone enrolled, with when they joined and
    // left, and no events: who has a record where, without reading a long
    // history's events.
    [[nodiscard]] virtual Result<RecordInputs> rosterInputs(std::string_view course) = 0;
    // (public id, window id) of every check-in or correction in the course's
    // windows of the people named by public id.
    [[nodiscard]] virtual Result<std::set<std::pair<std::string, std::string>>>
    attendedWindows(std::string_view course, const std::vector<std::string>& publicIds) = 0;
};

} // namespace imhere::server
