#include "kiosksettings.h"

#include "hardware/readerfactory.h"

#include <QFileInfo>
#include <QSettings>
#include <QUrl>

#include <algorithm>
#include <cstdlib>

namespace imhere::kiosk {

namespace {

std::string environmentName(std::string_view key)
{
    std::string env = "IMHERE_";
    for (const char c : key)
        env.push_back(c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
    return env;
}

// What is wrong with `value` for `key`, or empty.
std::string problemWith(std::string_view key, const std::string& value)
{
    if (key == "server") {
        const QUrl url(QString::fromStdString(value), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
            return "must be an http:// or https:// URL with a host";
        return {};
    }
    if (key == "token")
        return value.empty() ? std::string("is empty") : std::string(); // provisioning checks the rest
    if (key == "data")
        return value.empty() ? std::string("must name a directory") : std::string();
    if (key == "reader") {
        const auto spec = hardware::parseReaderSpec(QString::fromStdString(value));
        return spec ? std::string() : spec.error().message;
    }
    if (key == "ca-file") {
        const QFileInfo file(QString::fromStdString(value));
        return file.isFile() && file.isReadable() ? std::string() : std::string("is not a readable file");
    }
    return "unknown key";
}

} // namespace

Result<KioskSettings> KioskSettings::load(const std::map<std::string, std::string>& commandLine,
                                          const QString& configPath)
{
    KioskSettings settings;
    QString path = configPath;
    bool named = !path.isEmpty();
    if (!named && qEnvironmentVariableIsSet("IMHERE_CONFIG")) {
        path = qEnvironmentVariable("IMHERE_CONFIG");
        named = true;
    }
    if (!named)
        path = QString::fromLatin1(k_defaultKioskConfigPath.data(), static_cast<qsizetype>(k_defaultKioskConfigPath.size()));

    const bool exists = QFileInfo(path).isFile();
    if (named && (!exists || !QFileInfo(path).isReadable()))
        return fail(Errc::BadConfig, "cannot read " + path.toStdString());
    if (exists) {
        settings.m_configPath = path;
        QSettings file(path, QSettings::IniFormat);
        if (file.status() != QSettings::NoError)
            return fail(Errc::BadConfig, path.toStdString() + ": not an INI file");
        for (const QString& full : file.allKeys()) {
            const std::string key = full.toStdString();
            const auto slash = key.find('/');
            std::string value = file.value(full).toStringList().join(QStringLiteral(", ")).toStdString();
            if (value.empty())
                value = file.value(full).toString().toStdString();
            // QSettings knows only ';' comments; a '#' line with an '=' in it
            // arrives as a key, and is a comment as it is in server.conf.
            if (key.starts_with('#') || (slash != std::string::npos && key[slash + 1] == '#'))
                continue;
            if (slash == std::string::npos || key.substr(0, slash) != "kiosk")
                return fail(Errc::BadConfig, path.toStdString() + ": " + key + "=" + value + ": not in the [kiosk] section");
            const std::string name = key.substr(slash + 1);
            if (std::ranges::find(k_kioskSettingKeys, name) == k_kioskSettingKeys.end())
                return fail(Errc::BadConfig, path.toStdString() + ": " + name + "=" + value + ": unknown key");
            settings.m_settings[name] = {value, path.toStdString()};
        }
    }
    for (const std::string_view key : k_kioskSettingKeys) {
        const std::string env = environmentName(key);
        if (const char* value = std::getenv(env.c_str()); value && *value)
            settings.m_settings[std::string(key)] = {value, env};
        if (const auto given = commandLine.find(std::string(key)); given != commandLine.end())
            settings.m_settings[std::string(key)] = {given->second, "--" + std::string(key)};
    }
    for (const auto& [key, setting] : settings.m_settings) {
        if (const std::string problem = problemWith(key, setting.value); !problem.empty()) {
            const bool file = !setting.source.starts_with("--") && !setting.source.starts_with("IMHERE_");
            return fail(Errc::BadConfig, file ? setting.source + ": " + key + "=" + setting.value + ": " + problem
                                              : setting.source + "=" + setting.value + ": " + problem);
        }
    }
    return settings;
}

std::optional<std::string> KioskSettings::get(std::string_view key) const
{
    const auto it = m_settings.find(key);
    if (it == m_settings.end())
        return std::nullopt;
    return it->second.value;
}

std::string KioskSettings::sourceOf(std::string_view key) const
{
    const auto it = m_settings.find(key);
    return it == m_settings.end() ? std::string() : it->second.source;
}

} // namespace imhere::kiosk
