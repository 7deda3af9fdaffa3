#pragma once
// People, their credentials (password and PIN hashes), badges and the org admin flag (DESIGN §3).
// Persistence only: the rules are the services' (sync-server/service/).
// Thread rules: any thread; see store.h.

#include "model.h"

#include "core/encoding.h"
#include "core/result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imhere::server {

class PeopleRepository {
public:
    virtual ~PeopleRepository() = default;

    // The org badge key: uid_hash = HMAC-SHA256(key, raw UID). Made once.
    // Kiosks hold it, so it protects nothing but badge hashes.
    [[nodiscard]] virtual Result<Bytes> badgeKey() = 0;
    // The 32-byte master the server's own keys are derived from
    // (service/serverkeys.h). Made once; never leaves the server.
    [[nodiscard]] virtual Result<Bytes> masterKey() = 0;
    [[nodiscard]] virtual Result<Person> createPerson(const NewPerson& person) = 0;
    [[nodiscard]] virtual Result<std::optional<Person>> personById(PersonId id) = 0;
    [[nodiscard]] virtual Result<std::optional<Person>> personByPublicId(std::string_view publicId) = 0;
    [[nodiscard]] virtual Result<std::optional<Person>> personByEmail(std::string_view email) = 0;
    [[nodiscard]] virtual Result<std::vector<Person>> listPeople() = 0;
    [[nodiscard]] virtual Result<void> setPasswordHash(PersonId id, const std::string& hash) = 0;
    [[nodiscard]] virtual Result<void> setPinHash(PersonId id, const std::string& hash) = 0;
    // already_exists when the hash is on another person's active badge.
    [[nodiscard]] virtual Result<void> addBadge(PersonId id, const std::string& uidHash) = 0;
    [[nodiscard]] virtual Result<std::size_t> badgeCount(PersonId id) = 0;
    // Revokes the person's QR badges and adds the one with this hash; kiosks
    // learn both through sync.
    [[nodiscard]] virtual Result<void> replaceQrBadge(PersonId person, const std::string& uidHash) = 0;
    [[nodiscard]] virtual Result<void> revokeQrBadges(PersonId person) = 0;
    // Sets or clears the org admin flag, with who did it and when.
    [[nodiscard]] virtual Result<void> setAdmin(PersonId person, bool admin, PersonId actor) = 0;
    // The org-wide lead role (reads the overview across courses); kept in lead_history.
    [[nodiscard]] virtual Result<void> setLead(PersonId person, bool lead, PersonId actor) = 0;

    // The public API (sqlitestoreprivacy.cpp). Whether a person opted out of
    // its per-person answers; setting it logs who did it and when.
    [[nodiscard]] virtual Result<void> setPublicOptOut(PersonId person, bool optOut, std::string_view actor) = 0;
    [[nodiscard]] virtual Result<bool> publicOptOut(PersonId person) = 0;
    // The public ids of everyone who opted out.
    [[nodiscard]] virtual Result<std::vector<std::string>> publicOptOuts() = 0;
    // Removes a person's personal data, keeping their pseudonymous events:
    // the name becomes `placeholderName`; email, GitHub, Codewars, password
    // and PIN are cleared; badges are revoked (kiosks learn it through sync)
    // and phones unlinked; sessions, API keys, link codes and the region are
    // deleted; the erasure is logged with `actor`.
    [[nodiscard]] virtual Result<void> erasePerson(PersonId person, const std::string& placeholderName,
                                                   std::string_view actor) = 0;
    // A mark that changes whenever anything the public API answers from may
    // have changed (events, windows, enrollments, people, opt-outs), read
    // without reading the records: the public API's ETag.
    [[nodiscard]] virtual Result<std::string> publicDataMark() = 0;
};

} // namespace imhere::server
