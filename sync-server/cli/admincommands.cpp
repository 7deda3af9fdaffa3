// `init`, `user add`, `kiosk add` and `backup`.

#include "commands.h"

#include "sync-server/auth/passwords.h"
#include "sync-server/auth/tokens.h"
#include "sync-server/service/kiosks.h"
#include "core/result.h"

#include "core/crypto.h"
#include "core/limits.h"
#include "core/random.h"

#include <cstdio>
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
    const auto target = settings.get("to");
    if (!target)
        return failWith("--to FILE is required");
    SystemClock clock;
    auto store = openStore(settings, clock);
    if (!store)
        return 1;
    if (auto r = store->backupTo(*target); !r)
        return failWith(r.error().message);
    std::printf("backup written: %s\n", target->c_str());
    return 0;
}

} // namespace imhere::server::cli
