#include "apijson.h"
#include "sync-server/service/windowrules.h"

namespace imhere::server {

namespace {

template <class T>
nlohmann::json orNull(const std::optional<T>& value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json personJson(const Person& p, bool withContact)
{
    nlohmann::json j = {{"public_id", p.publicId}, {"display_name", p.displayName}};
    if (withContact) {
        j["email"] = orNull(p.email);
        j["github"] = orNull(p.github);
        j["codewars"] = orNull(p.codewars);
        j["is_admin"] = p.isAdmin;
        j["is_lead"] = p.isLead;
    }
    return j;
}

nlohmann::json courseJson(const Course& c, std::optional<Role> role)
{
    nlohmann::json j = {{"id", c.id},
                        {"name", c.name},
                        {"timezone", c.timezone},
                        {"late_after_min", c.lateAfterMin},
                        {"absent_after_min", c.absentAfterMin},
                        {"window_length_min", c.windowLengthMin},
                        {"close_grace_min", c.closeGraceMin},
                        {"alert_below_percent", c.alertBelowPercent},
                        {"alert_absent_run", c.alertAbsentRun}};
    j["role"] = role ? nlohmann::json(sync::toString(*role)) : nlohmann::json(nullptr);
    return j;
}

nlohmann::json memberJson(const Member& m)
{
    return {{"public_id", m.publicId}, {"display_name", m.displayName}, {"role", sync::toString(m.role)}};
}

nlohmann::json windowJson(const Window& w, std::int64_t nowMs)
{
    return {{"id", w.id},
            {"course", w.course},
            {"title", w.title},
            {"scheduled_start", orNull(w.scheduledStart)},
            {"opened_at", orNull(w.openedAt)},
            {"closed_at", orNull(w.closedAt)},
            {"opened_by", orNull(w.openedBy)},
            {"scheduled_end", orNull(w.scheduledEnd)},
            {"open", isOpenAt(w, nowMs)}};
}

nlohmann::json recordJson(const AttendanceRecord& r)
{
    nlohmann::json flags = nlohmann::json::array();
    for (const Flag f : r.flags)
        flags.push_back(sync::toString(f));
    return {{"person", r.person},
            {"display_name", r.displayName},
            {"role", sync::toString(r.role)},
            {"window", r.window},
            {"window_title", r.windowTitle},
            {"window_start", orNull(r.windowStart)},
            {"present", r.present},
            {"status", r.status ? nlohmann::json(toString(*r.status)) : nlohmann::json(nullptr)},
            {"first_check_in", orNull(r.firstCheckIn)},
            {"minutes_late", r.minutesLate},
            {"source", r.source ? nlohmann::json(sync::toString(*r.source)) : nlohmann::json(nullptr)},
            {"remote", r.remote},
            {"corrected", r.corrected},
            {"needs_review", r.needsReview},
            {"flags", flags},
            {"last_event", orNull(r.lastEvent)}};
}

} // namespace imhere::server
