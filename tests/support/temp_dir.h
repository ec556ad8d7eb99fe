// A fresh directory of a test's own, removed with everything in it when the test ends.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace kiosk::tests {

class TempDir {
public:
    // base: where to make it (a test of the ground checks wants a tmpfs or a disk on purpose).
    explicit TempDir(std::string const& prefix = "kiosk-test", std::filesystem::path const& base = "/tmp")
    {
        std::string pattern = (base / (prefix + "-XXXXXX")).string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("cannot make a temporary directory under " + base.string());
        m_path = pattern;
    }
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    std::filesystem::path const& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

} // namespace kiosk::tests
