#pragma once
// What the school's trainee tracker needs beside the attendance itself
// (docs/INTEROP.md): a course's tracker names, trainees' regions, windows'
// sprint numbers, and the register imports with the check-ins they stored.
// Persistence only: the rules are the services' (sync-server/service/tracker.h).
//
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/result.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

class TrackerRepository {
public:
    virtual ~TrackerRepository() = default;

    [[nodiscard]] virtual Result<std::optional<TrackerIdentity>> trackerIdentity(std::string_view course) = 0;
    // nullopt clears it.
    [[nodiscard]] virtual Result<void> setTrackerIdentity(std::string_view course,
                                                          const std::optional<TrackerIdentity>& identity) = 0;
    // Everyone enrolled in the course, ordered by display name.
    [[nodiscard]] virtual Result<std::vector<TrackerPerson>> trackerPeople(std::string_view course) = 0;
    [[nodiscard]] virtual Result<void> setRegion(PersonId person, const std::optional<std::string>& region) = 0;
    // Window id → sprint number, for the windows of the course that have one.
    [[nodiscard]] virtual Result<std::map<std::string, int>> windowSprints(std::string_view course) = 0;
    [[nodiscard]] virtual Result<void> setWindowSprint(std::string_view window, std::optional<int> sprint) = 0;
    // Keeps the import and where each of its check-ins came from; the
    // check-ins themselves are stored through the attendance repository in
    // the same transaction (Store::inTransaction).
    [[nodiscard]] virtual Result<std::int64_t> recordRegisterImport(const RegisterImportRecord& record) = 0;
    // The ids of the check-ins of a course that came from a register import.
    [[nodiscard]] virtual Result<std::vector<std::string>> importedCheckIns(std::string_view course) = 0;
};

} // namespace imhere::server
