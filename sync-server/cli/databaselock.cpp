#include "databaselock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace imhere::server::cli {

Result<DatabaseLock> DatabaseLock::acquire(const std::string& databasePath)
{
    const std::string path = lockPathFor(databasePath);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(Errc::CannotOpen, "cannot open the lock file " + path + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK)
            return fail(Errc::Conflict, databasePath + " is in use by a running imhere-server (or a restore): " + path
                                            + " is locked");
        return fail(Errc::CannotOpen, "cannot lock " + path + ": " + std::strerror(error));
    }
    return DatabaseLock(fd);
}

DatabaseLock::DatabaseLock(DatabaseLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

DatabaseLock::~DatabaseLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace imhere::server::cli
