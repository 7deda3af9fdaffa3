#pragma once
// The demo school's milestones (`imhere-server demo-data`, docs/MILESTONES.md):
// GitHub and Codewars names for its trainees, milestones of every kind set by
// each course and by some trainees, six weeks of snapshots, a confirmed
// manual milestone, and the file of coders the demo's fake GitHub and
// Codewars (imhere-demo-code-sites) answer for, with their values today.

#include "sync-server/store/store.h"

#include "core/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imhere::server::cli {

// `coderFile`: where the coders go, one a line: github, codewars, merged
// pull requests, of them to CodeYourFuture, honor, rank, katas, of them in
// javascript (tab-separated). One trainee of each course has a name neither
// site knows, so their page shows a harvest error.
[[nodiscard]] Result<void> addDemoMilestones(Store& store, std::int64_t nowMs, const std::vector<Course>& courses,
                                             const std::string& coderFile);

} // namespace imhere::server::cli
