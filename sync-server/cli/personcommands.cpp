// `person erase`: a person's personal data removed on request (GDPR), their
// pseudonymous events kept (service/publicview.h).

#include "commands.h"

#include "sync-server/observe/log.h"
#include "sync-server/service/publicview.h"

#include "core/encoding.h"

#include <cstdio>

namespace imhere::server::cli {

int personEraseCommand(const CommandLine& line, const Settings& settings)
{
    if (line.words.size() != 2)
        return failWith("usage: imhere-server person erase PUBLIC_ID --db PATH [--requested-by TEXT]");
    const std::string& publicId = line.words[1];
    const std::string actor = "command line: " + settings.get("requested-by").value_or("(not said)");
    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    Services services(*store, clock);
    auto erased = erasePersonalData(services, publicId, actor);
    if (!erased)
        return failWith(erased.error().message);
    observe::log(observe::LogLevel::Info, "erased the personal data of " + publicId,
        {{"PUBLIC_ID", publicId}, {"REQUESTED_BY", actor}});
    std::printf("erased: %s is now \"%s\"; their attendance stays under this id\n", publicId.c_str(),
                erased->displayName.c_str());
    return 0;
}

} // namespace imhere::server::cli
