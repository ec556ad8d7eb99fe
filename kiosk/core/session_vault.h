// Per-session encrypted storage: one directory per session, every file AES-256-GCM under a key held only in memory.
#pragma once

#include "kiosk/core/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

// Holds an exclusive lock (flock) on runtime_dir/kiosk.lock for as long as it lives, so two kiosks never
// share (and purge) one runtime directory.
class RuntimeDirLock {
public:
    static Result<RuntimeDirLock> acquire(std::filesystem::path const& runtime_dir);
    RuntimeDirLock(RuntimeDirLock&&) noexcept;
    RuntimeDirLock& operator=(RuntimeDirLock&&) noexcept;
    RuntimeDirLock(RuntimeDirLock const&) = delete;
    RuntimeDirLock& operator=(RuntimeDirLock const&) = delete;
    ~RuntimeDirLock();

private:
    explicit RuntimeDirLock(int fd)
        : m_fd(fd)
    {
    }
    int m_fd = -1;
};

class SessionVault {
public:
    // Creates runtime_dir (mode 0700) if needed, then a new session directory "session-<random>" inside it
    // (mode 0700) and a random 256-bit key locked in memory (mlock, best effort).
    static Result<std::unique_ptr<SessionVault>> create(std::filesystem::path const& runtime_dir);

    // Deletes every "session-*" directory in runtime_dir: what a crashed or killed kiosk left behind. Their
    // keys died with that process, so they are unreadable anyway. Returns how many were removed.
    static Result<int> purge_leftovers(std::filesystem::path const& runtime_dir);

    SessionVault(SessionVault const&) = delete;
    SessionVault& operator=(SessionVault const&) = delete;
    // Destroys the session if destroy() was not called.
    ~SessionVault();

    std::filesystem::path const& directory() const { return m_directory; }

    // Names are 1-100 characters of [A-Za-z0-9._-], not starting with '.'; anything else is ErrorCode::usage.
    // write is atomic (temporary file, fsync, rename); ENOSPC/EDQUOT give ErrorCode::storage_full and leave
    // the previous content of the file intact.
    Result<void> write(std::string_view name, std::span<const uint8_t> plaintext);
    // ErrorCode::not_found when absent; ErrorCode::crypto when the file was altered or moved to another name.
    Result<std::vector<uint8_t>> read(std::string_view name) const;
    Result<void> remove(std::string_view name);
    std::vector<std::string> list() const; // sorted names of stored documents
    uint64_t stored_bytes() const; // bytes on disk of the stored documents
    // The size of a document as read(), without decrypting it.
    Result<uint64_t> size(std::string_view name) const;

    // A plaintext subdirectory for programs that cannot use the vault (the browser profile, downloads
    // waiting to be imported). Same name rules; created 0700 on first call; deleted with the session.
    Result<std::filesystem::path> scratch_directory(std::string_view name);

    // Wipes the key (OPENSSL_cleanse) and deletes the session directory. Returns an error naming what
    // could not be removed. Afterwards every call fails with ErrorCode::not_found, destroy() included once the
    // directory is gone; while something is left behind, a further destroy() retries the deletion.
    Result<void> destroy();
    bool destroyed() const { return m_destroyed; }

private:
    SessionVault() = default;

    std::filesystem::path m_directory;
    uint8_t* m_key = nullptr; // 32 bytes, allocated page-aligned so it can be mlocked
    bool m_destroyed = false;
};

} // namespace kiosk::core
