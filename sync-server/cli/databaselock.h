#pragma once
// An exclusive flock(2) on "<database>.lock", held by `serve` for as long as
// it serves and by `restore` while it writes: a restore cannot overwrite the
// database of a running server, and a server cannot start on a database
// being restored. The lock goes with the process, so a crashed server leaves
// nothing to clean up.

#include "core/result.h"

#include <string>

namespace imhere::server::cli {

class DatabaseLock {
public:
    // Fails at once (Errc::Conflict) when another process holds it.
    [[nodiscard]] static Result<DatabaseLock> acquire(const std::string& databasePath);

    DatabaseLock(DatabaseLock&& other) noexcept;
    DatabaseLock& operator=(DatabaseLock&&) = delete;
    ~DatabaseLock();

    [[nodiscard]] static std::string lockPathFor(const std::string& databasePath) { return databasePath + ".lock"; }

private:
    explicit DatabaseLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace imhere::server::cli
