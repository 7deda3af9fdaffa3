// SqliteStore: what one kiosk sync batch needs from the database, read with
// a handful of queries instead of a few per event — the people, enrollments
// and windows the batch names, and the first outcome of each event id.

#include "sqlitestore.h"

#include "sqliterows.h"
#include "sync-server/tryresult.h"

#include <nlohmann/json.hpp>

#include <set>

namespace imhere::server {

namespace {

using namespace imhere::sync;

// The batch's names as one JSON array, for `IN (SELECT value FROM json_each(?))`.
std::string jsonArray(const std::set<std::string>& values)
{
    return nlohmann::json(values).dump();
}

std::string roleKey(PersonId person, std::string_view course)
{
    return std::to_string(person) + ":" + std::string(course);
}

} // namespace

Result<void> SqliteStore::loadBatch(const Kiosk& kiosk, const SyncRequest& request)
{
    m_batchPeople.clear();
    m_batchRoles.clear();
    m_batchWindows.clear();
    std::set<std::string> people;
    std::set<std::string> windows;
    for (const DecodedEvent& decoded : request.events) {
        const auto* event = std::get_if<Event>(&decoded);
        if (!event)
            continue;
        people.insert(event->actor);
        std::visit(
            [&](const auto& body) {
                if constexpr (requires { body.person; })
                    people.insert(body.person);
                if constexpr (requires { body.window; })
                    windows.insert(body.window);
            },
            event->body);
    }

    for (const auto& id : people)
        m_batchPeople.emplace(id, std::nullopt);
    {
        TRY_ASSIGN(s, query(std::string(rows::k_personColumns)
                            + "WHERE public_id IN (SELECT value FROM json_each(?))"));
        s->bind(1, jsonArray(people));
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            Person person = rows::personFrom(*s);
            const PersonId id = person.id;
            m_batchPeople[person.publicId] = std::move(person);
            // Not enrolled in a served course unless the query below says so.
            for (const auto& course : kiosk.courses)
                m_batchRoles.emplace(roleKey(id, course), std::nullopt);
        }
    }
    {
        TRY_ASSIGN(s, query("SELECT e.person, e.course, e.role FROM enrollment e JOIN person p ON p.id = e.person"
                            " WHERE p.public_id IN (SELECT value FROM json_each(?))"));
        s->bind(1, jsonArray(people));
        for (;;) {
            TRY_ASSIGN(row, s->step());
            if (!row)
                break;
            m_batchRoles[roleKey(s->int64At(0), s->textAt(1))] = roleFromString(s->textAt(2));
        }
    }

    for (const auto& id : windows)
        m_batchWindows.emplace(id, std::nullopt);
    TRY_ASSIGN(s, query(std::string(rows::k_windowColumns) + "WHERE w.id IN (SELECT value FROM json_each(?))"));
    s->bind(1, jsonArray(windows));
    for (;;) {
        TRY_ASSIGN(row, s->step());
        if (!row)
            break;
        Window window = rows::windowFrom(*s);
        m_batchWindows[window.id] = std::move(window);
    }
    return {};
}

Result<std::unordered_map<std::string, Ack>> SqliteStore::priorOutcomes(const SyncRequest& request)
{
    std::set<std::string> ids;
    for (const DecodedEvent& decoded : request.events) {
        if (const auto* event = std::get_if<Event>(&decoded))
            ids.insert(event->id);
    }
    // A receipt holds the first outcome; a check-in stored through sync has
    // none, its check_in row being the receipt (migration 2).
    TRY_ASSIGN(s, query("SELECT i.value, r.status, r.reason FROM json_each(?) i"
                        " LEFT JOIN sync_receipt r ON r.event_id = i.value"
                        " WHERE r.event_id IS NOT NULL OR EXISTS (SELECT 1 FROM check_in c WHERE c.id = i.value)"));
    s->bind(1, jsonArray(ids));
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
