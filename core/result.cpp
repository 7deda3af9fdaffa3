#include "result.h"

namespace imhere {

std::string_view errorCodeName(Errc code)
{
    switch (code) {
    case Errc::MalformedJson: return "malformed_json";
    case Errc::InvalidId: return "invalid_id";
    case Errc::InvalidCode: return "invalid_code";
    case Errc::InvalidForm: return "invalid_form";
    case Errc::InvalidEvent: return "invalid_event";
    case Errc::UnsupportedProtocol: return "unsupported_protocol";
    case Errc::UnsupportedMediaType: return "unsupported_media_type";
    case Errc::TooLarge: return "too_large";
    case Errc::Unauthenticated: return "unauthenticated";
    case Errc::BadCredentials: return "bad_credentials";
    case Errc::Forbidden: return "forbidden";
    case Errc::CsrfRequired: return "csrf_required";
    case Errc::InsufficientScope: return "insufficient_scope";
    case Errc::RateLimited: return "rate_limited";
    case Errc::NotFound: return "not_found";
    case Errc::MethodNotAllowed: return "method_not_allowed";
    case Errc::Conflict: return "conflict";
    case Errc::AlreadyExists: return "already_exists";
    case Errc::WindowClosed: return "window_closed";
    case Errc::AlreadyCheckedIn: return "already_checked_in";
    case Errc::CodeExpired: return "code_expired";
    case Errc::InvalidRequest: return "invalid_request";
    case Errc::InvalidTime: return "invalid_time";
    case Errc::UnknownTimezone: return "unknown_timezone";
    case Errc::Busy: return "busy";
    case Errc::Constraint: return "constraint";
    case Errc::DiskFull: return "disk_full";
    case Errc::IoError: return "io_error";
    case Errc::ReadOnly: return "read_only";
    case Errc::Corrupt: return "corrupt";
    case Errc::CannotOpen: return "cannot_open";
    case Errc::BindRange: return "bind_range";
    case Errc::TypeMismatch: return "type_mismatch";
    case Errc::Sqlite: return "sqlite";
    case Errc::SchemaTooNew: return "schema_too_new";
    case Errc::MigrationFailed: return "migration_failed";
    case Errc::BadMigrations: return "bad_migrations";
    case Errc::OutOfMemory: return "out_of_memory";
    case Errc::Unavailable: return "unavailable";
    case Errc::Internal: return "internal";
    case Errc::Usage: return "usage";
    case Errc::BadConfig: return "bad_config";
    case Errc::BadLine: return "bad_line";
    case Errc::InvalidListen: return "invalid_listen";
    case Errc::Provisioning: return "provisioning";
    case Errc::Network: return "network";
    case Errc::Timeout: return "timeout";
    case Errc::RequestFailed: return "request_failed";
    case Errc::ReplyTooLarge: return "reply_too_large";
    case Errc::InvalidResponse: return "invalid_response";
    case Errc::ListenFailed: return "listen_failed";
    case Errc::SocketFailed: return "socket_failed";
    case Errc::SocketBindFailed: return "socket_bind_failed";
    case Errc::SocketPathTooLong: return "socket_path_too_long";
    case Errc::SocketPathTaken: return "socket_path_taken";
    case Errc::BadReaderSpec: return "bad_reader_spec";
    case Errc::OpenFailed: return "open_failed";
    case Errc::PtyFailed: return "pty_failed";
    case Errc::PipeFailed: return "pipe_failed";
    case Errc::ClockFailed: return "clock_failed";
    case Errc::NotEvdev: return "not_evdev";
    case Errc::GrabFailed: return "grab_failed";
    case Errc::NoCamera: return "no_camera";
    case Errc::CameraNotFound: return "camera_not_found";
    case Errc::BadWedgeUid: return "bad_wedge_uid";
    case Errc::BadQrToken: return "bad_qr_token";
    case Errc::QrEmpty: return "qr_empty";
    case Errc::QrUnencodable: return "qr_unencodable";
    }
    return "internal";
}

} // namespace imhere
