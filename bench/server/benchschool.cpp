#include "benchschool.h"

#include "sync-server/auth/tokens.h"

#include "core/random.h"

#include <stdexcept>

namespace imhere::bench {

using namespace imhere::server;

BenchSchool buildBenchSchool(Store& store, std::int64_t nowMs, int students, int windows)
{
    BenchSchool s;
    auto built = store.inTransaction([&]() -> Result<void> {
        auto admin = store.people().createPerson({"Bench Admin", "bench@example.org", std::nullopt, std::nullopt, std::nullopt,
                                         std::nullopt, true});
        if (!admin)
            return std::unexpected(admin.error());
        std::vector<PersonId> ids;
        for (int i = 0; i < students; ++i) {
            auto p = store.people().createPerson({"Student " + std::to_string(i), std::nullopt, std::nullopt, std::nullopt,
                                         std::nullopt, std::nullopt, false});
            if (!p)
                return std::unexpected(p.error());
            ids.push_back(p->id);
            s.students.push_back(p->publicId);
            s.studentIds.push_back(p->id);
        }
        auto course = store.courses().createCourse({"Bench course", "Europe/London", 10, 60, ids}, admin->id);
        if (!course)
            return std::unexpected(course.error());
        s.course = course->id;
        for (int w = 0; w < windows; ++w) {
            auto window = store.attendance().createWindow({newUuidV4(), s.course, "Window " + std::to_string(w), nowMs,
                                              nowMs - 60'000, admin->id});
            if (!window)
                return std::unexpected(window.error());
            s.windows.push_back(window->id);
        }
        const IssuedToken kiosk = issueToken(k_kioskTokenPrefix);
        if (auto k = store.kiosks().createKiosk({"Bench kiosk", kiosk.lookup, kiosk.hash, randomBytes(32), {s.course}}); !k)
            return std::unexpected(k.error());
        s.kioskToken = kiosk.token;
        const IssuedToken key = issueToken(k_apiKeyPrefix);
        if (auto k = store.credentials().createApiKey(admin->id, key.lookup, key.hash, ApiScope::Write); !k)
            return std::unexpected(k.error());
        s.adminKey = key.token;
        return {};
    });
    if (!built)
        throw std::runtime_error(built.error().message);
    return s;
}

} // namespace imhere::bench
