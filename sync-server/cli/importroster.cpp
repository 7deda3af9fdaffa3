// `imhere-server import-roster FILE.csv --course ID`: all rows or none.

#include "commands.h"
#include "rostercsv.h"

#include "core/result.h"

#include "core/random.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace imhere::server::cli {

int importRosterCommand(const CommandLine& line, const Settings& settings)
{
    if (line.words.size() != 2)
        return failWith("usage: imhere-server import-roster FILE.csv --course ID --db PATH");
    const auto courseId = settings.get("course");
    if (!courseId || !isUuid(*courseId))
        return failWith("--course ID is required (a lowercase UUID)");
    std::ifstream file(line.words[1], std::ios::binary);
    if (!file)
        return failWith("cannot read " + line.words[1]);
    std::stringstream text;
    text << file.rdbuf();

    const Roster roster = parseRoster(text.str());
    if (!roster.problems.empty()) {
        for (const auto& p : roster.problems)
            std::fprintf(stderr, "%s:%d: %s\n", line.words[1].c_str(), p.line, p.message.c_str());
        std::fprintf(stderr, "imhere-server: %zu bad row(s); nothing was imported\n", roster.problems.size());
        return 1;
    }

    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    auto course = store->courses().course(*courseId);
    if (!course || !*course || (*course)->removed)
        return failWith("no course " + *courseId);
    int created = 0;
    auto imported = store->inTransaction([&]() -> Result<void> {
        created = 0; // the store may run this again (store.h)
        for (const RosterRow& row : roster.rows) {
            TRY_ASSIGN(existing, store->people().personByEmail(row.email));
            PersonId id = existing ? existing->id : 0;
            if (!existing) {
                TRY_ASSIGN(person, store->people().createPerson({row.displayName, row.email, row.github, row.codewars,
                                                        std::nullopt, std::nullopt, false}));
                id = person.id;
                ++created;
            }
            TRY(store->courses().setEnrollment(id, *courseId, row.role, 0));
        }
        return {};
    });
    if (!imported)
        return failWith("nothing was imported: " + imported.error().message);
    std::printf("imported %zu row(s) into %s; %d new people\n", roster.rows.size(), (*course)->name.c_str(),
                created);
    if (created > 0)
        std::printf("New people have no password yet: on the course's People page, a teacher or org admin presses \"Invite "
                    "everyone without a password\" (or POST /api/v1/courses/%s/invitations).\n",
                    courseId->c_str());
    return 0;
}

} // namespace imhere::server::cli
