#include "remote.h"
#include "records.h"
#include "serverkeys.h"
#include "windowrules.h"

#include "attendance.h"

#include "sync-server/serverlimits.h"
#include "core/result.h"

#include "core/badgetoken.h"
#include "core/crypto.h"
#include "core/random.h"
#include "core/rotatingcode.h"

#include <algorithm>

namespace imhere::server {

namespace {

constexpr std::string_view k_linkAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"; // no 0/O, 1/I/L, U
constexpr std::size_t k_linkCodeChars = 10;
constexpr std::size_t k_ticketMacBytes = 16;
// A phone's cookie token: 24 random bytes, then a MAC that shows the server
// issued it, "RANDOM.MAC" in base64url (55 characters).
constexpr std::size_t k_deviceTokenRandomBytes = 24;
constexpr std::size_t k_deviceTokenMacBytes = 16;
constexpr std::size_t k_maxDeviceTokenChars = 64;

// Tickets live for two minutes; a key per process is enough (a restart
// means scanning again).
const Bytes& ticketKey()
{
    static const Bytes key = randomBytes(32);
    return key;
}

Bytes keyedHash(std::string_view context, std::string_view text, std::span<const std::uint8_t> key)
{
    const Hmac mac = hmacSha256(key, {asBytes(context), asBytes(text)});
    return Bytes(mac.begin(), mac.end());
}

std::string normaliseLinkCode(std::string_view typed)
{
    std::string code;
    for (const char c : typed) {
        if (c == ' ' || c == '-')
            continue;
        code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return code;
}

bool isLinkCode(std::string_view code)
{
    return code.size() == k_linkCodeChars
        && std::ranges::all_of(code, [](char c) { return k_linkAlphabet.find(c) != std::string_view::npos; });
}

std::string newLinkCode()
{
    // Rejection sampling keeps every character equally likely.
    std::string code;
    const auto limit = static_cast<std::uint8_t>(256 - 256 % k_linkAlphabet.size());
    while (code.size() < k_linkCodeChars) {
        for (const std::uint8_t b : randomBytes(16)) {
            if (b < limit && code.size() < k_linkCodeChars)
                code += k_linkAlphabet[b % k_linkAlphabet.size()];
        }
    }
    return code;
}

void putBigEndian(Bytes& out, std::uint64_t value)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

Hmac ticketMac(std::string_view code, std::string_view deviceToken, std::span<const std::uint8_t> when)
{
    return hmacSha256(ticketKey(), {asBytes("imhere/q-ticket/v1"), asBytes(code), asBytes("\n"),
                                    asBytes(deviceToken), asBytes("\n"), when});
}

} // namespace

Result<ScannedCode> readScannedCode(Services& services, std::string_view code, std::optional<std::int64_t> scannedAt)
{
    const auto fields = RotatingCode::parse(code);
    if (!fields)
        return fail(Errc::InvalidCode, "this is not a check-in code from a classroom screen");
    TRY_ASSIGN(kiosk, services.store.kiosks().kioskById(fields->kioskId));
    if (!kiosk || kiosk->revoked)
        return fail(Errc::InvalidCode, "this code comes from a screen that is no longer in use");
    const auto verified = RotatingCode::verify(code, kiosk->secret, fields->window,
                                               scannedAt.value_or(services.clock.nowMs()));
    if (!verified) {
        switch (verified.error()) {
        case CodeRejection::Expired:
        case CodeRejection::FromFuture:
            return fail(Errc::CodeExpired, "this code has expired");
        default:
            return fail(Errc::InvalidCode, "this is not a check-in code from a classroom screen");
        }
    }
    TRY_ASSIGN(window, services.store.attendance().window(uuidFromBytes(fields->window)));
    if (!window || std::ranges::find(kiosk->courses, window->course) == kiosk->courses.end())
        return fail(Errc::InvalidCode, "this code is for a class this screen does not take attendance for");
    TRY_ASSIGN(course, services.liveCourse(window->course));
    if (!isOpenAt(*window, services.clock.nowMs()))
        return fail(Errc::WindowClosed, "this class is not taking check-ins now");
    return ScannedCode{std::move(*kiosk), std::move(*window), std::move(course)};
}

std::string scanTicket(std::string_view code, std::string_view deviceToken, std::int64_t scannedAt)
{
    Bytes ticket;
    putBigEndian(ticket, static_cast<std::uint64_t>(scannedAt));
    const Hmac mac = ticketMac(code, deviceToken, ticket);
    ticket.insert(ticket.end(), mac.begin(), mac.begin() + k_ticketMacBytes);
    return base64UrlEncode(ticket);
}

Result<std::int64_t> readScanTicket(std::string_view ticket, std::string_view code, std::string_view deviceToken,
                                    std::int64_t nowMs)
{
    const auto bytes = base64UrlDecode(ticket);
    if (!bytes || bytes->size() != 8 + k_ticketMacBytes)
        return fail(Errc::CodeExpired, "this page has expired");
    const std::span<const std::uint8_t> when(bytes->data(), 8);
    const Hmac mac = ticketMac(code, deviceToken, when);
    if (!constantTimeEqual(std::span(mac.data(), k_ticketMacBytes), std::span(bytes->data() + 8, k_ticketMacBytes)))
        return fail(Errc::CodeExpired, "this page has expired");
    std::uint64_t scannedAt = 0;
    for (const std::uint8_t b : when)
        scannedAt = (scannedAt << 8) | b;
    const auto at = static_cast<std::int64_t>(scannedAt);
    if (at > nowMs || nowMs - at > limits::k_scanTicketLifetimeMs)
        return fail(Errc::CodeExpired, "this page has expired");
    return at;
}

Result<LinkCode> issueLinkCode(Services& services, const Caller& caller, std::optional<std::string_view> personPublicId,
                               std::optional<std::string_view> course)
{
    Person person = caller.person;
    std::optional<std::string> scope; // a code from a course's team links the phone for that course only
    if (personPublicId && *personPublicId != caller.person.publicId) {
        if (!course)
            return fail(Errc::InvalidRequest, "say which course the person is in");
        TRY_ASSIGN(access, services.access(caller, *course));
        TRY(allow(access.runsClass(), "only the course's teachers and TAs give out phone link codes"));
        TRY_ASSIGN(target, services.personById(*personPublicId));
        TRY_ASSIGN(role, services.store.courses().roleIn(target.id, *course));
        if (!CourseAccess::takesPart(role))
            return fail(Errc::NotFound, "this person does not take part in the course");
        person = std::move(target);
        scope = std::string(*course);
    }
    const std::string code = newLinkCode();
    TRY_ASSIGN(key, serverKey(services, ServerKeyUse::LinkCode));
    const std::int64_t expiresAt = services.clock.nowMs() + limits::k_linkCodeLifetimeMs;
    TRY(services.store.remote().createLinkCode(keyedHash("imhere/link/v1", code, key), person.id, caller.person.id,
                                               expiresAt, scope));
    return LinkCode{code.substr(0, 5) + "-" + code.substr(5), std::move(person), expiresAt};
}

Result<std::string> newDeviceToken(Services& services)
{
    TRY_ASSIGN(key, serverKey(services, ServerKeyUse::DeviceIssue));
    const std::string random = randomToken(k_deviceTokenRandomBytes);
    const Hmac mac = hmacSha256(key, {asBytes("imhere/device-issued/v1"), asBytes(random)});
    return random + "." + base64UrlEncode(std::span(mac.data(), k_deviceTokenMacBytes));
}

Result<bool> isIssuedDeviceToken(Services& services, std::string_view deviceToken)
{
    const auto dot = deviceToken.find('.');
    if (deviceToken.size() > k_maxDeviceTokenChars || dot == std::string_view::npos)
        return false;
    const auto given = base64UrlDecode(deviceToken.substr(dot + 1));
    if (!given || given->size() != k_deviceTokenMacBytes)
        return false;
    TRY_ASSIGN(key, serverKey(services, ServerKeyUse::DeviceIssue));
    const Hmac mac = hmacSha256(key, {asBytes("imhere/device-issued/v1"), asBytes(deviceToken.substr(0, dot))});
    return constantTimeEqual(std::span(mac.data(), k_deviceTokenMacBytes), *given);
}

Result<std::optional<RemoteDevice>> linkedDevice(Services& services, std::string_view deviceToken)
{
    TRY_ASSIGN(issued, isIssuedDeviceToken(services, deviceToken));
    if (!issued)
        return std::optional<RemoteDevice>();
    TRY_ASSIGN(key, serverKey(services, ServerKeyUse::DeviceToken));
    return services.store.remote().deviceByToken(keyedHash("imhere/device/v1", deviceToken, key),
                                                 services.clock.nowMs() - services.phoneLinkLifetimeMs);
}

Result<std::vector<LinkedPhone>> linkedPhones(Services& services, const Caller& caller)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "your phones are shown to you when signed in"));
    return services.store.remote().phonesOf(caller.person.id, services.clock.nowMs() - services.phoneLinkLifetimeMs);
}

Result<void> unlinkPhone(Services& services, const Caller& caller, std::int64_t device)
{
    TRY(allow(caller.kind == PrincipalKind::Session, "phones are unlinked when signed in"));
    TRY_ASSIGN(unlinked, services.store.remote().unlinkPhone(caller.person.id, device, services.clock.nowMs()));
    if (!unlinked)
        return fail(Errc::NotFound, "you have no such linked phone");
    return {};
}

Result<RemoteDevice> linkPhone(Services& services, std::string_view typed, std::string_view deviceToken,
                               std::string_view remoteIp)
{
    const std::string limiterKey = "address:" + std::string(remoteIp);
    const auto now = services.clock.nowMs();
    if (services.linkCodeLimiter.retryAfterMs(limiterKey, now) > 0)
        return fail(Errc::RateLimited, "too many wrong codes from this network; wait a quarter of an hour");
    const std::string code = normaliseLinkCode(typed);
    TRY_ASSIGN(issued, isIssuedDeviceToken(services, deviceToken));
    if (!issued)
        return fail(Errc::InvalidRequest, "this phone's cookie was not issued here; scan the code again");
    std::optional<RemoteDevice> device;
    if (isLinkCode(code)) {
        TRY_ASSIGN(codeKey, serverKey(services, ServerKeyUse::LinkCode));
        TRY_ASSIGN(deviceKey, serverKey(services, ServerKeyUse::DeviceToken));
        TRY_ASSIGN(linked, services.store.remote().linkDevice(keyedHash("imhere/link/v1", code, codeKey),
                                                keyedHash("imhere/device/v1", deviceToken, deviceKey), now));
        device = linked;
    }
    if (!device) {
        services.linkCodeLimiter.recordFailure(limiterKey, now);
        return fail(Errc::InvalidRequest, "that code is not right, or it has been used or has expired");
    }
    return *device;
}

Result<RemoteOutcome> remoteCheckIn(Services& services, const ScannedCode& scanned, const RemoteDevice& device,
                                    std::int64_t scannedAt, std::string_view remoteIp)
{
    TRY_ASSIGN(person, services.store.people().personById(device.person));
    if (!person)
        return fail(Errc::NotFound, "this phone is linked to nobody");
    if (device.course && *device.course != scanned.course.id)
        return fail(Errc::Forbidden, "this phone is linked for another course");
    TRY_ASSIGN(participant, participantOf(services, scanned.window, person->publicId));
    (void)participant;
    TRY_ASSIGN(before, recordOf(services, scanned.window.id, person->id));
    if (before.present)
        return RemoteOutcome{std::move(before), false};
    TRY_ASSIGN(key, serverKey(services, ServerKeyUse::ClientAddress));
    const Bytes address = keyedHash("imhere/address/v1", remoteIp, key);
    const RemoteCheckIn checkIn{
        .event = {newUuidV4(), person->id, scanned.window.id, scannedAt, CheckInSource::QrRemote, person->id,
                  std::nullopt},
        .device = device.id,
        .addressHash = hexEncode(std::span(address.data(), 16)),
        .scannedKiosk = scanned.kiosk.id,
    };
    TRY_ASSIGN(stored, services.store.remote().addRemoteCheckIn(checkIn));
    services.metrics.recordCheckIns(toString(CheckInSource::QrRemote), stored ? 1 : 0);
    TRY_ASSIGN(after, recordOf(services, scanned.window.id, person->id));
    return RemoteOutcome{std::move(after), stored};
}

Result<void> countRemoteRequest(Services& services, std::string_view remoteIp)
{
    const std::string key = "address:" + std::string(remoteIp);
    const auto now = services.clock.nowMs();
    if (services.remoteLimiter.retryAfterMs(key, now) > 0)
        return fail(Errc::RateLimited, "too many check-in attempts from this network; wait a few minutes");
    services.remoteLimiter.recordFailure(key, now);
    return {};
}

Result<std::string> issueQrBadge(Services& services, const Caller& caller)
{
    const std::string token = newQrBadgeToken();
    TRY_ASSIGN(key, services.store.people().badgeKey());
    TRY(services.store.people().replaceQrBadge(caller.person.id, badgeHash(key, asBytes(token))));
    return token;
}

Result<void> revokeQrBadge(Services& services, const Caller& caller)
{
    return services.store.people().revokeQrBadges(caller.person.id);
}

Result<std::optional<Person>> linkedPerson(Services& services, const std::optional<RemoteDevice>& device)
{
    if (!device)
        return std::optional<Person>();
    return services.store.people().personById(device->person);
}

} // namespace imhere::server
