// `init`, `user add`, `kiosk add`, `backup` and `restore`.

#include "commands.h"

#include "databaselock.h"
#include "sync-server/observe/log.h"
#include "sync-server/store/sqlitebackup.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/auth/tokens.h"
#include "sync-server/service/kiosks.h"
#include "core/result.h"

#include "core/crypto.h"
#include "core/limits.h"
#include "core/random.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace imhere::server::cli {

namespace {

// Makes an account with a generated password, printed once.
Result<std::pair<Person, std::string>> addAccount(Store& store, const std::string& name, const std::string& email,
                                                  bool admin)
{
    const std::string password = generatePassword();
    TRY_ASSIGN(hash, hashSecret(password, k_passwordCost));
    TRY_ASSIGN(person, store.people().createPerson({name, email, std::nullopt, std::nullopt, hash, std::nullopt, admin}));
    return std::pair(std::move(person), password);
}

} // namespace

int initCommand(const CommandLine&, const Settings& settings)
{
    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    std::printf("database ready: %s\n", settings.get("db")->c_str());
    const auto email = settings.get("admin-email");
    if (!email)
        return 0;
    auto account = addAccount(*store, settings.get("admin-name").value_or("Administrator"), *email, true);
    if (!account)
        return failWith(account.error().message);
    std::printf("admin: %s (public id %s)\npassword: %s\n", email->c_str(), account->first.publicId.c_str(),
                account->second.c_str());
    return 0;
}

int userAddCommand(const CommandLine& line, const Settings& settings)
{
    const auto name = settings.get("name");
    if (!name || name->empty() || name->size() > imhere::limits::k_maxNameBytes)
        return failWith("--name NAME is required (at most 200 bytes)");
    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;

    NewPerson p{*name, settings.get("email"), settings.get("github"), settings.get("codewars"), std::nullopt,
                std::nullopt, line.has("admin")};
    std::string password;
    if (p.email) {
        if (line.has("password-stdin")) {
            std::getline(std::cin, password);
        } else {
            password = generatePassword();
        }
        auto hash = hashSecret(password, k_passwordCost);
        if (!hash)
            return failWith(hash.error().message);
        p.passwordHash = *hash;
    }
    std::string pin;
    if (line.has("with-pin")) {
        pin = generatePin();
        auto hash = hashSecret(pin, k_pinCost);
        if (!hash)
            return failWith(hash.error().message);
        p.pinHash = *hash;
    }
    auto person = store->people().createPerson(p);
    if (!person)
        return failWith(person.error().message);
    std::printf("public id: %s\n", person->publicId.c_str());
    if (p.email && !line.has("password-stdin"))
        std::printf("password: %s\n", password.c_str());
    if (!pin.empty())
        std::printf("pin: %s\n", pin.c_str());
    return 0;
}

int kioskAddCommand(const CommandLine& line, const Settings& settings)
{
    const auto name = settings.get("name");
    const auto courses = line.all("course");
    if (!name)
        return failWith("--name NAME is required (at most 200 bytes)");
    if (courses.empty())
        return failWith("at least one --course ID is required: the courses this kiosk serves");
    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    auto kiosk = registerKiosk(*store, *name, courses, std::nullopt);
    if (!kiosk)
        return failWith(kiosk.error().message);
    std::printf("kiosk id: %u\ntoken: %s\n", kiosk->kiosk.id, kiosk->token.c_str());
    return 0;
}

int backupCommand(const CommandLine&, const Settings& settings)
{
    const auto db = settings.require("db");
    if (!db)
        return failWith(db.error().message);
    if (isPostgresUrl(*db))
        return failWith("backup copies a SQLite file; back up a PostgreSQL database with pg_dump (docs/OPERATIONS.md)");
    std::string target;
    std::optional<std::filesystem::path> dir;
    if (const auto to = settings.get("to")) {
        target = *to;
    } else if (const auto into = settings.get("backup-dir")) {
        dir = *into;
        std::error_code made;
        std::filesystem::create_directories(*dir, made);
        if (made)
            return failWith("cannot make " + dir->string() + ": " + made.message());
        target = (*dir / backupFileName(std::chrono::system_clock::now())).string();
    } else {
        return failWith("--to FILE or --backup-dir DIR is required");
    }
    const auto started = std::chrono::steady_clock::now();
    if (auto r = backupDatabase(*db, target); !r)
        return failWith(r.error().message);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    observe::log(observe::LogLevel::Info, "backup written",
                 {{"DB", *db}, {"BACKUP", target}, {"DURATION_MS", std::to_string(ms.count())}});
    std::printf("backup written: %s\n", target.c_str());
    if (dir) {
        const std::size_t keep = std::stoul(settings.get("backup-keep").value_or("14"));
        for (const auto& old : backupsToDelete(*dir, keep)) {
            std::error_code removed;
            std::filesystem::remove(old, removed);
            std::printf("%s: %s\n", removed ? "cannot remove old backup" : "removed old backup", old.c_str());
        }
    }
    return 0;
}

int restoreCommand(const CommandLine&, const Settings& settings)
{
    const auto db = settings.require("db");
    const auto from = settings.get("from");
    if (!db)
        return failWith(db.error().message);
    if (!from)
        return failWith("--from FILE is required: the backup to restore");
    if (isPostgresUrl(*db))
        return failWith("restore writes a SQLite file; restore a PostgreSQL database with pg_restore (docs/OPERATIONS.md)");
    auto lock = DatabaseLock::acquire(*db);
    if (!lock)
        return failWith("not restoring: " + lock.error().message + "; stop imhere-server first");
    if (auto r = restoreDatabase(*from, *db); !r)
        return failWith(r.error().message);
    observe::log(observe::LogLevel::Info, "database restored", {{"DB", *db}, {"BACKUP", *from}});
    std::printf("restored %s into %s\n", from->c_str(), db->c_str());
    return 0;
}

std::string backupFileName(std::chrono::system_clock::time_point at)
{
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char name[64];
    std::strftime(name, sizeof name, "imhere-%Y%m%dT%H%M%SZ.db", &utc);
    return name;
}

std::vector<std::filesystem::path> backupsToDelete(const std::filesystem::path& dir, std::size_t keep)
{
    // Names sort by time: imhere-YYYYMMDDTHHMMSSZ.db.
    std::vector<std::filesystem::path> backups;
    std::error_code listing;
    for (const auto& entry : std::filesystem::directory_iterator(dir, listing)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.starts_with("imhere-") && name.ends_with("Z.db") && name.size() == 26)
            backups.push_back(entry.path());
    }
    std::ranges::sort(backups);
    if (backups.size() <= keep)
        return {};
    backups.resize(backups.size() - keep);
    return backups;
}

} // namespace imhere::server::cli
