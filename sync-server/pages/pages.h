#pragma once
// The server-rendered pages (DESIGN §6 "/"): sign-in, home, course, window,
// one record in a window, my attendance, and the small views they share. Every page works without
// JavaScript; every change is a form POST answered by a redirect.

#include "webcontext.h"

#include <string>

namespace imhere::server {

void addSignInPages(Router& router, Services& services);
void addHomePage(Router& router, Services& services);
void addCoursePages(Router& router, Services& services);
void addCourseForms(Router& router, Services& services);
void addConfirmPages(Router& router, Services& services); // before anything destructive
void addRosterPages(Router& router, Services& services);
void addWindowPages(Router& router, Services& services);
void addRecordPage(Router& router, Services& services);
void addMyPages(Router& router, Services& services);
void addAdminPages(Router& router, Services& services); // adminpages.h
void addRemotePages(Router& router, Services& services);
void addCredentialPages(Router& router, Services& services);
void addPhonePages(Router& router, Services& services);
void addPinPages(Router& router, Services& services);
void addTrackerPages(Router& router, Services& services);
void addReportPages(Router& router, Services& services);
void addAccountPages(Router& router, Services& services); // accountpages.cpp
void addApiKeyPages(Router& router, Services& services); // My account → API keys
void addPrivacyPages(Router& router, Services& services); // the public API opt-out
void addSlackPages(Router& router, Services& services);   // a course's Slack webhook
void addMilestonePages(Router& router, Services& services); // milestonepages.cpp

inline void addWebPages(Router& router, Services& services)
{
    addSignInPages(router, services);
    addHomePage(router, services);
    addMyPages(router, services); // before the course page: /courses/new is not a course id
    addCoursePages(router, services);
    addCourseForms(router, services);
    addConfirmPages(router, services);
    addRosterPages(router, services);
    addWindowPages(router, services);
    addRecordPage(router, services);
    addAdminPages(router, services);
    addRemotePages(router, services);
    addCredentialPages(router, services);
    addPhonePages(router, services);
    addPinPages(router, services);
    addTrackerPages(router, services);
    addReportPages(router, services);
    addAccountPages(router, services);
    addApiKeyPages(router, services);
    addPrivacyPages(router, services);
    addSlackPages(router, services);
    addMilestonePages(router, services);
    // Forms are read only from signed-in people, but for signing in, asking
    // for and using a password link, and remote check-in.
    router.admitUnder("/", admitSignedIn(services),
                      {"/login", "/logout", "/q/{code}", "/password-reset", "/password/{token}"});
    router.setErrorPage(errorPages(services));
}

// ---- views shared by several pages ----
// The course page's Slack section (slackpages.cpp): the form for teachers.
struct SlackStatus;
[[nodiscard]] std::string slackSection(const SlackStatus& slack, const Course& course, bool teaches,
                                       const std::string& csrf);
// The overview's milestones by course (admins and leads), milestonepages.cpp.
[[nodiscard]] Result<std::string> programmeMilestonesSection(Services& services, const Caller& caller);
// My attendance's section on the public API (the opt-out) and API keys.
[[nodiscard]] Result<std::string> publicApiSection(Services& services, const Caller& caller);
[[nodiscard]] std::string roleLabel(Role role);
[[nodiscard]] std::string flagLabel(Flag flag);
// Status, remote, flag and review tags of a record.
[[nodiscard]] std::string recordTags(const AttendanceRecord& record);
// A window before the person joined the course or after they left: no record.
[[nodiscard]] std::string notEnrolledTag();
// "Checked in 18:04 · late by 4 min" style summary of a record.
[[nodiscard]] std::string recordSummary(const AttendanceRecord& record, const std::string& timezone);
// "Open since 18:00", "Closed", "Scheduled 2026-10-24 18:00".
[[nodiscard]] std::string windowState(const Window& window, const std::string& timezone, std::int64_t nowMs);
// The window open now in a list of a course's windows, if any.
[[nodiscard]] const Window* openWindowIn(const std::vector<Window>& windows, std::int64_t nowMs);

} // namespace imhere::server
