#pragma once
// A fresh directory under $TMPDIR for one test, removed with everything in it
// when the test ends.

#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace imhere::test {

class TempDir {
public:
    explicit TempDir(const std::string& prefix = "imhere-test")
    {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (!mkdtemp(pattern.data()))
            std::abort();
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

} // namespace imhere::test
