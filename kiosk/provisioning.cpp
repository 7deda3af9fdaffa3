#include "provisioning.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace imhere::kiosk {

namespace {

constexpr mode_t k_dirMode = 0700;
constexpr mode_t k_fileMode = 0600;

Result<void> makePrivate(const std::filesystem::path& path, mode_t mode)
{
    if (::chmod(path.c_str(), mode) != 0 && errno != ENOENT)
        return fail(Errc::Provisioning, "cannot restrict " + path.string() + ": " + std::strerror(errno));
    return {};
}

} // namespace

Result<void> checkServerUrl(const std::string& url)
{
    std::string_view rest = url;
    if (rest.starts_with("https://"))
        rest.remove_prefix(8);
    else if (rest.starts_with("http://"))
        rest.remove_prefix(7);
    else
        return fail(Errc::Usage, "--server must start with http:// or https:// (got \"" + url + "\")");
    const std::string_view host = rest.substr(0, rest.find('/'));
    if (host.empty() || host.find_first_of(" \t@") != std::string_view::npos)
        return fail(Errc::Usage, "--server has no valid host name (got \"" + url + "\")");
    if (url.find_first_of("?#") != std::string::npos)
        return fail(Errc::Usage, "--server is a base URL and takes no query or fragment (got \"" + url + "\")");
    return {};
}

Result<Credentials> provision(const ProvisioningRequest& request)
{
    if (request.dataDir.empty())
        return fail(Errc::Usage, "--data DIR is required");
    if (request.serverUrl.has_value() != request.token.has_value())
        return fail(Errc::Usage, "--server and --token go together (both on the first start, neither later)");
    std::optional<Credentials> given;
    if (request.serverUrl) {
        TRY(checkServerUrl(*request.serverUrl));
        if (request.token->empty() || request.token->find_first_of(" \t\r\n") != std::string::npos)
            return fail(Errc::Usage, "--token is empty or contains white space");
        given = Credentials{*request.serverUrl, *request.token, request.caFile.value_or("")};
    }

    const std::filesystem::path dir(request.dataDir);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return fail(Errc::Provisioning, "cannot create " + dir.string() + ": " + ec.message());
    const std::filesystem::path storePath = dir / k_storeFileName;
    const mode_t previous = ::umask(077); // the store and its -wal/-shm files: owner only
    auto opened = KioskStore::open(storePath.string());
    ::umask(previous);
    TRY_ASSIGN(store, std::move(opened));
    for (const auto& [path, mode] : {std::pair{dir, k_dirMode}, std::pair{storePath, k_fileMode},
                                     std::pair{dir / (std::string(k_storeFileName) + "-wal"), k_fileMode},
                                     std::pair{dir / (std::string(k_storeFileName) + "-shm"), k_fileMode}}) {
        TRY(makePrivate(path, mode));
    }

    TRY_ASSIGN(stored, store.credentials());
    if (!given) {
        if (!stored)
            return fail(Errc::Usage, dir.string() + " holds no kiosk credentials yet: give --server URL and --token "
                                                "TOKEN once (from `imhere-server kiosk add`)");
        return *stored;
    }
    if (stored) {
        const Credentials& old = *stored;
        if (old.serverUrl != given->serverUrl || old.token != given->token)
            return fail(Errc::Provisioning, dir.string() + " already belongs to a kiosk of " + old.serverUrl +
                                            "; start a new kiosk with a new --data directory");
        if (!request.caFile || old.caFile == given->caFile)
            return old; // the same kiosk started with its first command line again
    }
    TRY(store.saveCredentials(*given));
    return *given;
}

} // namespace imhere::kiosk
