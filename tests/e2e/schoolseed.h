#pragma once
// A school written straight into a fresh imhere-server database, for tests
// that run the real server and a kiosk against it: one course with trainees
// who each hold a badge (raw UIDs kept here, hashes on the server), a teacher
// with a PIN, a TA, an open window, a remote (qr_remote) check-in waiting to
// be confirmed, and a kiosk serving the course.

#include "sync-server/store/model.h"

#include <QByteArray>

#include <cstdint>
#include <string>
#include <vector>

namespace imhere::e2e {

struct Member {
    server::PersonId id = 0;
    std::string publicId;
    std::string name;
    QByteArray uid; // raw badge UID, as a reader reports it
};

struct SeededSchool {
    std::string course;
    std::string window; // open since a minute ago
    std::vector<Member> trainees;
    Member teacher;
    Member ta;
    Member remoteTrainee;       // checked in from a phone, not by badge
    std::string remoteCheckIn;  // that qr_remote check-in's id
    std::string teacherPin;
    std::string kioskToken;
    std::uint32_t kioskId = 0;
};

// `db` is a SQLite file or a postgresql:// URL. Throws std::runtime_error
// when the database cannot be written.
[[nodiscard]] SeededSchool seedSchool(const std::string& db, int trainees);

// "04" + 5 bytes of `n` + "80": a 7-byte NFC UID unique per n.
[[nodiscard]] QByteArray uidFor(std::uint64_t n);

} // namespace imhere::e2e
