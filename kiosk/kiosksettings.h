#pragma once
// imhere-kiosk's settings: the [kiosk] section of an INI file read with
// QSettings (--config FILE, IMHERE_CONFIG, else /etc/imhere/kiosk.conf when
// it exists), IMHERE_<NAME> environment variables over it, and command-line
// options over both (DESIGN §7). Every key is in k_kioskSettingKeys and
// docs/OPERATIONS.md; load() checks the value each one ends up with, and a
// bad one is reported as "SOURCE: key=value: reason".
//
// Thread rules: the GUI thread, at start-up.

#include "core/result.h"

#include <QString>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace imhere::kiosk {

inline constexpr std::string_view k_defaultKioskConfigPath = "/etc/imhere/kiosk.conf";
inline constexpr std::array<std::string_view, 5> k_kioskSettingKeys{"server", "token", "data", "reader", "ca-file"};

class KioskSettings {
public:
    // `commandLine`: the options given, by key. `configPath`: --config, or
    // empty for IMHERE_CONFIG or the default (a missing default is no error).
    [[nodiscard]] static Result<KioskSettings> load(const std::map<std::string, std::string>& commandLine,
                                                    const QString& configPath);

    [[nodiscard]] std::optional<std::string> get(std::string_view key) const;
    // "--key", "IMHERE_KEY" or the config file's path; empty when unset.
    [[nodiscard]] std::string sourceOf(std::string_view key) const;
    [[nodiscard]] const QString& configPath() const { return m_configPath; }

private:
    struct Setting {
        std::string value;
        std::string source;
    };
    std::map<std::string, Setting, std::less<>> m_settings;
    QString m_configPath;
};

} // namespace imhere::kiosk
