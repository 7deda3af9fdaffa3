#include "faultvfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace imhere::kiosk::test {

namespace {

std::atomic<int> g_fault{0};
sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;

struct FaultFile {
    sqlite3_file base; // must come first: SQLite sees this
    sqlite3_file* real;
};

sqlite3_file* realOf(sqlite3_file* f)
{
    return reinterpret_cast<FaultFile*>(f)->real;
}

int xClose(sqlite3_file* f)
{
    sqlite3_file* real = realOf(f);
    return real->pMethods ? real->pMethods->xClose(real) : SQLITE_OK;
}
int xRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 off)
{
    return realOf(f)->pMethods->xRead(realOf(f), buf, n, off);
}
int xWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off)
{
    if (const int fault = g_fault.load())
        return fault;
    return realOf(f)->pMethods->xWrite(realOf(f), buf, n, off);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size)
{
    if (const int fault = g_fault.load())
        return fault;
    return realOf(f)->pMethods->xTruncate(realOf(f), size);
}
int xSync(sqlite3_file* f, int flags)
{
    if (const int fault = g_fault.load())
        return fault == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
    return realOf(f)->pMethods->xSync(realOf(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size)
{
    return realOf(f)->pMethods->xFileSize(realOf(f), size);
}
int xLock(sqlite3_file* f, int lock)
{
    return realOf(f)->pMethods->xLock(realOf(f), lock);
}
int xUnlock(sqlite3_file* f, int lock)
{
    return realOf(f)->pMethods->xUnlock(realOf(f), lock);
}
int xCheckReservedLock(sqlite3_file* f, int* out)
{
    return realOf(f)->pMethods->xCheckReservedLock(realOf(f), out);
}
int xFileControl(sqlite3_file* f, int op, void* arg)
{
    return realOf(f)->pMethods->xFileControl(realOf(f), op, arg);
}
int xSectorSize(sqlite3_file* f)
{
    return realOf(f)->pMethods->xSectorSize(realOf(f));
}
int xDeviceCharacteristics(sqlite3_file* f)
{
    return realOf(f)->pMethods->xDeviceCharacteristics(realOf(f));
}
int xShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out)
{
    return realOf(f)->pMethods->xShmMap(realOf(f), page, size, extend, out);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags)
{
    return realOf(f)->pMethods->xShmLock(realOf(f), offset, n, flags);
}
void xShmBarrier(sqlite3_file* f)
{
    realOf(f)->pMethods->xShmBarrier(realOf(f));
}
int xShmUnmap(sqlite3_file* f, int deleteFlag)
{
    return realOf(f)->pMethods->xShmUnmap(realOf(f), deleteFlag);
}
int xFetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out)
{
    return realOf(f)->pMethods->xFetch(realOf(f), off, n, out);
}
int xUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p)
{
    return realOf(f)->pMethods->xUnfetch(realOf(f), off, p);
}

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* outFlags)
{
    auto* wrapper = reinterpret_cast<FaultFile*>(file);
    wrapper->real = reinterpret_cast<sqlite3_file*>(wrapper + 1);
    std::memset(wrapper->real, 0, static_cast<std::size_t>(g_base->szOsFile));
    const int rc = g_base->xOpen(g_base, name, wrapper->real, flags, outFlags);
    // SQLite calls xClose whenever pMethods is set, even after a failed open.
    wrapper->base.pMethods = wrapper->real->pMethods ? &g_methods : nullptr;
    return rc;
}

} // namespace

void FaultVfs::install()
{
    if (g_base)
        return;
    g_base = sqlite3_vfs_find(nullptr);
    g_vfs = *g_base;
    g_vfs.zName = "imhere-fault";
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_base->szOsFile;
    g_vfs.xOpen = xOpen;
    g_methods = sqlite3_io_methods{3,        xClose,     xRead,       xWrite,      xTruncate,  xSync,
                                   xFileSize, xLock,     xUnlock,     xCheckReservedLock, xFileControl, xSectorSize,
                                   xDeviceCharacteristics, xShmMap, xShmLock, xShmBarrier, xShmUnmap, xFetch,
                                   xUnfetch};
    sqlite3_vfs_register(&g_vfs, 1);
}

void FaultVfs::setFault(int sqliteError)
{
    g_fault.store(sqliteError);
}

} // namespace imhere::kiosk::test
