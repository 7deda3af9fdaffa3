#pragma once
// The server-rendered pages (DESIGN §6 "/"): sign-in, home, course, window,
// one record in a window, my attendance, and the small views they share. Every page works without
// JavaScript; every change is a form POST answered by a redirect.

#include "webcontext.h"

#include <string>

namespace imhere::server {

void addSignInPages(Router& router, ApiContext& api);
void addHomePage(Router& router, ApiContext& api);
void addCoursePages(Router& router, ApiContext& api);
void addCourseForms(Router& router, ApiContext& api);
void addWindowPages(Router& router, ApiContext& api);
void addRecordPage(Router& router, ApiContext& api);
void addMyPages(Router& router, ApiContext& api);
void addAdminPages(Router& router, ApiContext& api); // adminpages.h
void addRemotePages(Router& router, ApiContext& api);
void addCredentialPages(Router& router, ApiContext& api);

inline void addWebPages(Router& router, ApiContext& api)
{
    addSignInPages(router, api);
    addHomePage(router, api);
    addMyPages(router, api); // before the course page: /courses/new is not a course id
    addCoursePages(router, api);
    addCourseForms(router, api);
    addWindowPages(router, api);
    addRecordPage(router, api);
    addAdminPages(router, api);
    addRemotePages(router, api);
    addCredentialPages(router, api);
}

// ---- views shared by several pages ----
[[nodiscard]] std::string roleLabel(Role role);
[[nodiscard]] std::string flagLabel(Flag flag);
// Status, remote, flag and review tags of a record.
[[nodiscard]] std::string recordTags(const AttendanceRecord& record);
// "Checked in 18:04 · late by 4 min" style summary of a record.
[[nodiscard]] std::string recordSummary(const AttendanceRecord& record, const std::string& timezone);
// "Open since 18:00", "Closed", "Scheduled 2026-10-24 18:00".
[[nodiscard]] std::string windowState(const Window& window, const std::string& timezone, std::int64_t nowMs);
// The window open now in a list of a course's windows, if any.
[[nodiscard]] const Window* openWindowIn(const std::vector<Window>& windows, std::int64_t nowMs);

} // namespace imhere::server
