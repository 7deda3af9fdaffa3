#include "records.h"

#include "attendancefold.h"

namespace imhere::server {

namespace {

std::vector<AttendanceRecord> foldAll(RecordInputs in)
{
    std::vector<AttendanceRecord> out;
    out.reserve(in.windows.size() * in.members.size());
    for (const Window& w : in.windows) {
        for (const Member& m : in.members) {
            if (!CourseAccess::takesPart(m.role))
                continue;
            auto it = in.events.find({m.publicId, w.id});
            RecordEvents events = it == in.events.end() ? RecordEvents{} : std::move(it->second);
            const auto spans = in.enrolment.find(m.publicId);
            if (spans != in.enrolment.end() && !enrolledIn(w, spans->second, events))
                continue; // before they joined or after they left
            out.push_back(foldRecord(in.course, w, m, std::move(events)));
        }
    }
    return out;
}

Result<std::vector<AttendanceRecord>> fold(Services& services, std::string_view course,
                                           std::optional<std::string_view> window, std::optional<PersonId> person)
{
    TRY_ASSIGN(in, services.store.attendance().recordInputs(course, window, person));
    return foldAll(std::move(in));
}

Result<Window> storedWindow(Services& services, std::string_view id)
{
    TRY_ASSIGN(window, services.store.attendance().window(id));
    if (!window)
        return fail(Errc::NotFound, "no such window");
    return std::move(*window);
}

} // namespace

Result<std::vector<AttendanceRecord>> recordsOfCourse(Services& services, std::string_view course)
{
    return fold(services, course, std::nullopt, std::nullopt);
}

Result<std::vector<AttendanceRecord>> recordsOfCourseBetween(Services& services, std::string_view course,
                                                            std::int64_t fromMs, std::int64_t toMs)
{
    TRY_ASSIGN(in, services.store.attendance().recordInputsBetween(course, fromMs, toMs));
    return foldAll(std::move(in));
}

Result<std::vector<AttendanceRecord>> recordsOfWindow(Services& services, std::string_view window)
{
    TRY_ASSIGN(w, storedWindow(services, window));
    return fold(services, w.course, window, std::nullopt);
}

Result<std::vector<AttendanceRecord>> recordsOfPerson(Services& services, std::string_view course, PersonId person)
{
    return fold(services, course, std::nullopt, person);
}

Result<AttendanceRecord> recordOf(Services& services, std::string_view window, PersonId person)
{
    TRY_ASSIGN(w, storedWindow(services, window));
    TRY_ASSIGN(found, fold(services, w.course, window, person));
    if (found.empty())
        return fail(Errc::NotFound, "this person does not take part in the course");
    return std::move(found.front());
}

} // namespace imhere::server
