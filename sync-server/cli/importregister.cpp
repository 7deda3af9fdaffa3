// `imhere-server import-register FILE.csv --course ID [--dry-run]`: an old
// register sheet in the trainee tracker's format (docs/INTEROP.md).

#include "commands.h"

#include "sync-server/service/services.h"
#include "sync-server/service/tracker.h"

#include "core/random.h"
#include "core/result.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace imhere::server::cli {

int importRegisterCommand(const CommandLine& line, const Settings& settings)
{
    if (line.words.size() != 2)
        return failWith("usage: imhere-server import-register FILE.csv --course ID --db PATH [--dry-run]");
    const auto courseId = settings.get("course");
    if (!courseId || !isUuid(*courseId))
        return failWith("--course ID is required (a lowercase UUID)");
    std::optional<int> classStart;
    if (const auto start = settings.get("class-start")) {
        classStart = parseClassStart(*start);
        if (!classStart)
            return failWith("--class-start " + *start + ": expected HH:MM, such as 18:00");
    }
    std::ifstream file(line.words[1], std::ios::binary);
    if (!file)
        return failWith("cannot read " + line.words[1]);
    std::stringstream text;
    text << file.rdbuf();

    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    Services services(*store, clock);
    auto course = services.liveCourse(*courseId);
    if (!course)
        return failWith("no course " + *courseId);
    auto report = importRegister(services, *course, text.str(), line.has("dry-run"), std::nullopt, classStart);
    if (!report)
        return failWith(line.words[1] + ": " + report.error().message);
    if (report->dryRun)
        std::printf("Dry run: nothing was changed in %s.\n", course->name.c_str());
    for (const auto& sentence : describeImport(*report))
        std::printf("%s\n", sentence.c_str());
    return 0;
}

} // namespace imhere::server::cli
