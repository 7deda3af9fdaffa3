#include "pages.h"
#include "sync-server/service/windowrules.h"

#include "sync-server/web/html.h"

#include <algorithm>

namespace imhere::server {

std::string roleLabel(Role role)
{
    switch (role) {
    case Role::Student: return "Student";
    case Role::Ta: return "TA";
    case Role::Teacher: return "Teacher";
    }
    return "Member";
}

std::string flagLabel(Flag flag)
{
    switch (flag) {
    case Flag::LeftEarly: return "Left early";
    case Flag::CameraOff: return "Camera off";
    case Flag::LowParticipation: return "Low participation";
    case Flag::Absent: return "Absent";
    }
    return "Flag";
}

std::string recordTags(const AttendanceRecord& r)
{
    std::string html;
    if (r.status) {
        const std::string name(toString(*r.status));
        std::string label = name == "on_time" ? "On time" : name == "late" ? "Late" : name == "absent" ? "Absent" : "Excused";
        if (*r.status == AttendanceStatus::Late)
            label += " " + std::to_string(r.minutesLate) + " min";
        html += "<span class=\"tag " + name + "\">" + label + "</span>";
    } else {
        html += "<span class=\"tag\">Not in yet</span>";
    }
    if (r.remote)
        html += "<span class=\"tag excused\">Remote</span>";
    if (r.corrected)
        html += "<span class=\"tag\">Corrected</span>";
    for (const Flag f : r.flags)
        html += "<span class=\"tag flag\">" + flagLabel(f) + "</span>";
    if (r.needsReview)
        html += "<span class=\"tag review\">Needs review</span>";
    return html;
}

std::string notEnrolledTag() { return "<span class=\"tag not_enrolled\">Not enrolled</span>"; }

std::string recordSummary(const AttendanceRecord& r, const std::string& timezone)
{
    if (!r.firstCheckIn)
        return r.present ? "Marked present" : "No check-in";
    std::string s = "Checked in " + web::timeText(timezone, *r.firstCheckIn);
    if (r.status == AttendanceStatus::Late)
        s += " · late by " + std::to_string(r.minutesLate) + " min";
    return s;
}

std::string windowState(const Window& w, const std::string& timezone, std::int64_t nowMs)
{
    if (isOpenAt(w, nowMs))
        return "Open since " + web::timeText(timezone, *w.openedAt);
    if (w.closedAt)
        return "Closed " + web::dateTimeText(timezone, *w.closedAt);
    if (w.scheduledStart)
        return "Scheduled " + web::dateTimeText(timezone, *w.scheduledStart);
    return "Not opened";
}

const Window* openWindowIn(const std::vector<Window>& windows, std::int64_t nowMs)
{
    const auto it = std::ranges::find_if(windows, [&](const Window& w) { return isOpenAt(w, nowMs); });
    return it == windows.end() ? nullptr : &*it;
}

} // namespace imhere::server
