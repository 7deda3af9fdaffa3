// SqliteStore: what one kiosk sync batch needs from the database, read with
// a handful of queries instead of a few per event — the people (with their
// enrollments) and windows the batch names, and the first outcome of each
// event id.

#include "sqlitestore.h"

#include "sqliterows.h"
#include "core/result.h"

#include <algorithm>
#include <cstdio>

namespace imhere::server {

namespace {

using namespace imhere::sync;

// Each distinct value once, in any order.
void sortUnique(std::vector<std::string_view>& values)
{
    std::ranges::sort(values);
    values.erase(std::unique(values.begin(), values.end()), values.end());
}

} // namespace

std::optional<Role> SyncBatch::PersonRoles::roleIn(std::string_view course) const
{
    for (const auto& [enrolledIn, role] : roles) {
        if (enrolledIn == course)
            return role;
    }
    return std::nullopt;
}

Result<void> SqliteStore::loadBatch(const SyncRequest& request)
{
    m_batchPeople.clear();
    m_batchWindows.clear();
    m_batchCheckIns.clear();
    std::vector<std::string_view> people;
    std::vector<std::string_view> windows;
    for (const DecodedEvent& decoded : request.events) {
        const auto* event = std::get_if<Event>(&decoded);
        if (!event)
            continue;
        people.push_back(event->actor);
        std::visit(
            [&](const auto& body) {
                if constexpr (requires { body.person; })
                    people.push_back(body.person);
                if constexpr (requires { body.window; })
                    windows.push_back(body.window);
            },
            event->body);
    }
    sortUnique(people);
    sortUnique(windows);

    rows::JsonStrings peopleJson;
    for (const auto id : people) {
        m_batchPeople.emplace(id, std::nullopt); // unknown unless the query finds them
        peopleJson.add(id);
    }
    TRY(loadPeople(peopleJson.done()));
    rows::JsonStrings windowsJson;
    for (const auto id : windows) {
        m_batchWindows.emplace(id, std::nullopt);
        windowsJson.add(id);
    }
    return loadWindows(windowsJson.done());
}

Result<void> SqliteStore::loadPeople(const std::string& publicIdsJson)
{
    // One row per enrollment, or one with a NULL course for someone enrolled nowhere.
    TRY_ASSIGN(s, query("SELECT p.public_id, p.id, p.is_admin, e.course, e.role FROM json_each(?) j"
                        " JOIN person p ON p.public_id = j.value LEFT JOIN enrollment e ON e.person = p.id"));
    s->bind(1, publicIdsJson);
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        auto& person = m_batchPeople[s->textAt(0)];
        if (!person)
            person = BatchPerson{s->int64At(1), s->intAt(2) != 0, {}};
        if (!s->isNullAt(3)) {
            if (const auto role = roleFromString(s->textAt(4)))
                person->roles.emplace_back(s->textAt(3), *role);
        }
    }
    return {};
}

Result<void> SqliteStore::loadWindows(const std::string& windowIdsJson)
{
    TRY_ASSIGN(s, query(std::string(rows::k_windowColumns) + "JOIN json_each(?) j ON j.value = w.id"));
    s->bind(1, windowIdsJson);
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        Window window = rows::windowFrom(*s);
        auto& slot = m_batchWindows[window.id];
        slot = std::move(window);
    }
    return {};
}

Result<const SqliteStore::BatchPerson*> SqliteStore::batchPerson(std::string_view publicId)
{
    auto it = m_batchPeople.find(publicId);
    if (it == m_batchPeople.end()) {
        it = m_batchPeople.emplace(publicId, std::nullopt).first;
        rows::JsonStrings one;
        one.add(publicId);
        TRY(loadPeople(one.done()));
    }
    return it->second ? &*it->second : nullptr;
}

Result<const Window*> SqliteStore::batchWindow(std::string_view id)
{
    auto it = m_batchWindows.find(id);
    if (it == m_batchWindows.end()) {
        it = m_batchWindows.emplace(id, std::nullopt).first;
        rows::JsonStrings one;
        one.add(id);
        TRY(loadWindows(one.done()));
    }
    return it->second ? &*it->second : nullptr;
}

Result<std::unordered_map<std::string, Ack>> SqliteStore::priorOutcomes(const SyncRequest& request)
{
    rows::JsonStrings ids;
    for (const DecodedEvent& decoded : request.events) {
        if (const auto* event = std::get_if<Event>(&decoded))
            ids.add(event->id);
    }
    // A receipt holds the first outcome; a check-in stored through sync has
    // none, its check_in row being the receipt (migration 2).
    TRY_ASSIGN(s, query("SELECT i.value, r.status, r.reason FROM json_each(?) i"
                        " LEFT JOIN sync_receipt r ON r.event_id = i.value"
                        " WHERE r.event_id IS NOT NULL OR EXISTS (SELECT 1 FROM check_in c WHERE c.id = i.value)"));
    s->bind(1, ids.done());
    std::unordered_map<std::string, Ack> outcomes;
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        std::string id = s->textAt(0);
        const auto status = s->optionalTextAt(1);
        Ack ack = status == "rejected" ? Ack{id, AckStatus::Rejected, s->textAt(2)}
                                       : Ack{id, AckStatus::Duplicate, {}};
        outcomes.emplace(std::move(id), std::move(ack));
    }
    return outcomes;
}

} // namespace imhere::server
