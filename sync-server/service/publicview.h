#pragma once
// What the public API (docs/PUBLIC-API.md) may show: courses, windows and
// trainees' records by their random public id only, every count or average
// over fewer than limits::k_publicMinGroup people suppressed, and nobody who
// opted out in a per-person answer (they are still counted in aggregates).
// Trainees are a course's students. The figures come from reports.h, as the
// reports' do. No caller: the public API is open (or needs any read-only
// key, which the HTTP side checks).
//
// Thread rules: any thread, like Services.

#include "reports.h"
#include "services.h"
#include "sheetcells.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

struct PublicCourse {
    Course course;
    std::optional<int> trainees; // nullopt: suppressed
    int windows = 0;
};

enum class WindowPhase { Scheduled, Open, Closed };

struct PublicWindow {
    Window window;
    WindowPhase phase = WindowPhase::Scheduled;
    std::optional<Tally> counts; // nullopt: suppressed (fewer than k_publicMinGroup trainees)
};

struct PublicTraineeCourse {
    Course course;
    Tally tally;
    std::vector<AttendanceRecord> records; // window by window
};

struct PublicTrainee {
    std::string publicId;
    std::vector<PublicTraineeCourse> courses;
};

struct PublicWeek {
    CivilDate monday; // in the course's time zone
    int windows = 0;
    std::optional<Tally> trainees; // nullopt: suppressed
};

// One page of a list, and how long the whole list is.
template <class T>
struct PublicPage {
    std::vector<T> items;
    std::size_t total = 0;
};
struct PageSpan {
    std::size_t offset = 0;
    std::size_t limit = 0;
};

// Every live course.
[[nodiscard]] Result<std::vector<PublicCourse>> publicCourses(Services& services);
// A live course's windows, oldest first; not_found for no such course. Only
// the page's windows are folded for their counts.
[[nodiscard]] Result<PublicPage<PublicWindow>> publicWindows(Services& services, std::string_view course,
                                                             PageSpan span);
// Trainees' records of windows starting in [fromMs, toMs), window by window,
// trainees in public id order; opted-out trainees left out. Every trainee
// has a record in every window, so a page is found without folding the
// windows before it: only the page's windows are folded.
[[nodiscard]] Result<PublicPage<AttendanceRecord>> publicAttendance(Services& services, std::string_view course,
                                                                    std::optional<std::int64_t> fromMs,
                                                                    std::optional<std::int64_t> toMs, PageSpan span);
// A trainee by public id: not_found unless a student of a live course who
// has not opted out.
[[nodiscard]] Result<PublicTrainee> publicTrainee(Services& services, std::string_view publicId);
// A course's figures per week (Monday to Sunday in its time zone).
[[nodiscard]] Result<std::vector<PublicWeek>> publicSummary(Services& services, std::string_view course);
[[nodiscard]] std::string_view toString(WindowPhase phase);

// The caller's choice to be left out of per-person public answers.
[[nodiscard]] Result<bool> publicOptOutOf(Services& services, const Caller& caller);
[[nodiscard]] Result<void> setPublicOptOut(Services& services, const Caller& caller, bool optOut);

// Removes a person's personal data on request (PeopleRepository::erasePerson),
// keeping their pseudonymous events; `actor` says who asked, for the log.
// not_found for no such person. The person as they now stand.
[[nodiscard]] Result<Person> erasePersonalData(Services& services, std::string_view publicId, std::string_view actor);

// Changes whenever any public answer may change, without reading records.
[[nodiscard]] Result<std::string> publicDataMark(Services& services);

} // namespace imhere::server
