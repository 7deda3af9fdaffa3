#pragma once
// A SQLite VFS over the default one that fails writes on demand, for the
// kiosk's disk-full tests: while a fault is set, every write, truncate and
// sync of a file opened through it answers that SQLite error code
// (SQLITE_FULL for a full disk, SQLITE_IOERR_WRITE for a failing one);
// everything else passes through. Installed as the default VFS, so a store
// opened afterwards goes through it.
//
// Thread rules: install() once, before any store opens; setFault() from any
// thread.

namespace imhere::kiosk::test {

class FaultVfs {
public:
    static void install();
    static void setFault(int sqliteError); // 0: writes work again
};

} // namespace imhere::kiosk::test
