/* A disk that fills up or turns read-only under a running process, for fault
 * tests: preloaded (LD_PRELOAD) into imhere-server, it makes every write to a
 * SQLite file (name ending .db, .db-wal or .db-journal) fail while the file
 * named by IMHERE_DISKFAULT starts with "full" (ENOSPC) or "readonly"
 * (EROFS, as after a remount read-only). Reads, sockets and every other file
 * are untouched; with the control file absent or empty, nothing changes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int faultNow(void)
{
    const char* control = getenv("IMHERE_DISKFAULT");
    if (!control)
        return 0;
    static ssize_t (*realRead)(int, void*, size_t);
    if (!realRead)
        realRead = (ssize_t(*)(int, void*, size_t))dlsym(RTLD_NEXT, "read");
    const int fd = open(control, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char mode[16] = {0};
    const ssize_t n = realRead(fd, mode, sizeof mode - 1);
    close(fd);
    if (n >= 4 && strncmp(mode, "full", 4) == 0)
        return ENOSPC;
    if (n >= 8 && strncmp(mode, "readonly", 8) == 0)
        return EROFS;
    return 0;
}

static int isDatabase(int fd)
{
    char link[64];
    char path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0)
        return 0;
    path[n] = 0;
    const size_t len = (size_t)n;
    static const char* const endings[] = {".db", ".db-wal", ".db-journal"};
    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; ++i) {
        const size_t e = strlen(endings[i]);
        if (len >= e && strcmp(path + len - e, endings[i]) == 0)
            return 1;
    }
    return 0;
}

static int refuse(int fd)
{
    const int error = faultNow();
    if (error && isDatabase(fd)) {
        errno = error;
        return 1;
    }
    return 0;
}

ssize_t write(int fd, const void* buf, size_t count)
{
    static ssize_t (*real)(int, const void*, size_t);
    if (!real)
        real = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
    if (refuse(fd))
        return -1;
    return real(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset)
{
    static ssize_t (*real)(int, const void*, size_t, off_t);
    if (!real)
        real = (ssize_t(*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    if (refuse(fd))
        return -1;
    return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t offset)
{
    static ssize_t (*real)(int, const void*, size_t, off64_t);
    if (!real)
        real = (ssize_t(*)(int, const void*, size_t, off64_t))dlsym(RTLD_NEXT, "pwrite64");
    if (refuse(fd))
        return -1;
    return real(fd, buf, count, offset);
}

int ftruncate(int fd, off_t length)
{
    static int (*real)(int, off_t);
    if (!real)
        real = (int (*)(int, off_t))dlsym(RTLD_NEXT, "ftruncate");
    if (refuse(fd))
        return -1;
    return real(fd, length);
}

int ftruncate64(int fd, off64_t length)
{
    static int (*real)(int, off64_t);
    if (!real)
        real = (int (*)(int, off64_t))dlsym(RTLD_NEXT, "ftruncate64");
    if (refuse(fd))
        return -1;
    return real(fd, length);
}

int fallocate(int fd, int mode, off_t offset, off_t len)
{
    static int (*real)(int, int, off_t, off_t);
    if (!real)
        real = (int (*)(int, int, off_t, off_t))dlsym(RTLD_NEXT, "fallocate");
    if (refuse(fd))
        return -1;
    return real(fd, mode, offset, len);
}
