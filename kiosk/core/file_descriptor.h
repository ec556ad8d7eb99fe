// A file descriptor closed when it goes out of scope.
#pragma once

#include <unistd.h>

#include <utility>

namespace kiosk::core {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd)
        : m_fd(fd)
    {
    }
    FileDescriptor(FileDescriptor const&) = delete;
    FileDescriptor& operator=(FileDescriptor const&) = delete;
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    int get() const { return m_fd; }
    // close(2) can report a deferred write error (NFS, quotas), so a writer checks it.
    int close() { return ::close(std::exchange(m_fd, -1)); }

private:
    int m_fd;
};

} // namespace kiosk::core
