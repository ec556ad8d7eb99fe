// A small tmpfs mounted for the duration of a test, so "disk full" is real. Unmounted even if a check fails.
// Mounting needs root (or CAP_SYS_ADMIN): a test that cannot mount says so and skips.
#pragma once

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace kiosk::tests {

class SmallTmpfs {
public:
    SmallTmpfs(std::filesystem::path mount_point, char const* options)
        : m_path(std::move(mount_point))
    {
        std::filesystem::create_directories(m_path);
        if (::mount("tmpfs", m_path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options) == 0)
            m_mounted = true;
        else
            m_error = std::strerror(errno);
    }
    SmallTmpfs(SmallTmpfs const&) = delete;
    SmallTmpfs& operator=(SmallTmpfs const&) = delete;
    ~SmallTmpfs() { unmount(); }
    void unmount()
    {
        if (m_mounted && ::umount2(m_path.c_str(), MNT_DETACH) == 0)
            m_mounted = false;
    }
    bool mounted() const { return m_mounted; }
    std::string const& error() const { return m_error; }

private:
    std::filesystem::path m_path;
    bool m_mounted = false;
    std::string m_error;
};

} // namespace kiosk::tests
