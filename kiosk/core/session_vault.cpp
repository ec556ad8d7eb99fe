// Per-session encrypted storage: AES-256-GCM files in a 0700 directory, the key only in locked memory.
#include "kiosk/core/session_vault.h"

#include "kiosk/core/file_descriptor.h"
#include "kiosk/core/hex.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace kiosk::core {

namespace {

// On-disk layout of a document: magic, version, nonce, ciphertext, tag. The magic, the version and the
// document's name are authenticated as additional data, so a file altered, truncated or moved to another
// name fails to decrypt.
constexpr std::array<uint8_t, 4> file_magic { 'K', 'V', 'L', 'T' };
constexpr uint8_t file_version = 1;
constexpr size_t header_size = file_magic.size() + 1;
constexpr size_t nonce_size = 12;
constexpr size_t tag_size = 16;
constexpr size_t key_size = 32;
constexpr size_t max_name_length = 100;
// EVP_*Update take an int length; larger documents go through in chunks.
constexpr size_t crypt_chunk = size_t { 1 } << 20;

constexpr std::string_view session_prefix = "session-";
constexpr std::string_view temp_prefix = ".tmp-";

std::string errno_text(int error)
{
    return std::error_code(error, std::generic_category()).message();
}

bool is_storage_full(int error)
{
    return error == ENOSPC || error == EDQUOT;
}

// ENOSPC and EDQUOT are the one failure the person can act on (delete a document), so they get their own code.
std::unexpected<Error> errno_error(int error, std::string_view what, fs::path const& path)
{
    auto detail = std::string(what) + " " + path.string() + ": " + errno_text(error);
    return make_error(is_storage_full(error) ? ErrorCode::storage_full : ErrorCode::io, std::move(detail));
}

std::unexpected<Error> fs_error(std::error_code ec, std::string_view what, fs::path const& path)
{
    if (ec.category() == std::generic_category() || ec.category() == std::system_category())
        return errno_error(ec.value(), what, path);
    return make_error(ErrorCode::io, std::string(what) + " " + path.string() + ": " + ec.message());
}

Result<void> check_name(std::string_view name)
{
    auto allowed = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
            || c == '-';
    };
    if (name.empty() || name.size() > max_name_length || name.front() == '.'
        || !std::all_of(name.begin(), name.end(), allowed))
        return make_error(
            ErrorCode::usage, "invalid document name (1-100 characters of A-Z a-z 0-9 . _ -, not starting with '.')");
    return {};
}

// A runtime directory we create is private to the kiosk user; one that already exists (e.g. a systemd
// RuntimeDirectory) keeps the mode its owner gave it.
Result<void> ensure_runtime_dir(fs::path const& runtime_dir)
{
    std::error_code ec;
    bool created = fs::create_directories(runtime_dir, ec);
    if (ec)
        return fs_error(ec, "cannot create", runtime_dir);
    if (created && ::chmod(runtime_dir.c_str(), 0700) != 0)
        return errno_error(errno, "cannot set mode 0700 on", runtime_dir);
    return {};
}

bool exists_no_follow(fs::path const& path)
{
    std::error_code ec;
    return fs::symlink_status(path, ec).type() != fs::file_type::not_found;
}

// Deletes path (a directory tree, a file or a link, never following links) and verifies that it is gone.
// A subdirectory left without owner write permission (some programs do that to their caches) would block
// the deletion of its entries, so on failure every directory is made writable and deletion is tried again.
Result<void> remove_tree(fs::path const& path)
{
    std::error_code ec;
    fs::remove_all(path, ec);
    std::error_code walk_ec;
    if (ec && fs::symlink_status(path, walk_ec).type() == fs::file_type::directory) {
        ::chmod(path.c_str(), 0700);
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, walk_ec), end;
             !walk_ec && it != end; it.increment(walk_ec)) {
            std::error_code type_ec;
            if (it->symlink_status(type_ec).type() == fs::file_type::directory)
                ::chmod(it->path().c_str(), 0700);
        }
        ec.clear();
        fs::remove_all(path, ec);
    }
    if (exists_no_follow(path)) {
        std::string detail = "could not remove " + path.string();
        if (ec)
            detail += ": " + ec.message();
        return make_error(ErrorCode::io, std::move(detail));
    }
    return {};
}

struct CipherContextDeleter {
    void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

std::vector<uint8_t> associated_data(std::string_view name)
{
    std::vector<uint8_t> aad(file_magic.begin(), file_magic.end());
    aad.push_back(file_version);
    aad.insert(aad.end(), name.begin(), name.end());
    return aad;
}

Result<std::vector<uint8_t>> encrypt(uint8_t const* key, std::string_view name, std::span<const uint8_t> plaintext)
{
    std::vector<uint8_t> sealed(header_size + nonce_size + plaintext.size() + tag_size);
    std::copy(file_magic.begin(), file_magic.end(), sealed.begin());
    sealed[file_magic.size()] = file_version;
    uint8_t* nonce = sealed.data() + header_size;
    uint8_t* out = nonce + nonce_size;
    // A fresh random nonce per write: with at most a few thousand writes per key, collisions are negligible.
    if (RAND_bytes(nonce, nonce_size) != 1)
        return make_error(ErrorCode::crypto, "RAND_bytes failed");

    CipherContext context(EVP_CIPHER_CTX_new());
    auto aad = associated_data(name);
    int length = 0;
    if (!context || EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) != 1
        || EVP_EncryptInit_ex(context.get(), nullptr, nullptr, key, nonce) != 1
        || EVP_EncryptUpdate(context.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1)
        return make_error(ErrorCode::crypto, "cannot initialise AES-256-GCM");
    for (size_t offset = 0; offset < plaintext.size(); offset += crypt_chunk) {
        auto chunk = static_cast<int>(std::min(crypt_chunk, plaintext.size() - offset));
        if (EVP_EncryptUpdate(context.get(), out, &length, plaintext.data() + offset, chunk) != 1)
            return make_error(ErrorCode::crypto, "AES-256-GCM encryption failed");
        out += length;
    }
    if (EVP_EncryptFinal_ex(context.get(), out, &length) != 1)
        return make_error(ErrorCode::crypto, "AES-256-GCM encryption failed");
    out += length;
    if (EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, tag_size, out) != 1)
        return make_error(ErrorCode::crypto, "cannot get the AES-256-GCM tag");
    return sealed;
}

Result<std::vector<uint8_t>> decrypt(uint8_t const* key, std::string_view name, std::span<const uint8_t> sealed)
{
    if (sealed.size() < header_size + nonce_size + tag_size)
        return make_error(ErrorCode::crypto, "document " + std::string(name) + " is truncated");
    if (!std::equal(file_magic.begin(), file_magic.end(), sealed.begin()) || sealed[file_magic.size()] != file_version)
        return make_error(ErrorCode::crypto, "document " + std::string(name) + " has an unknown format");
    uint8_t const* nonce = sealed.data() + header_size;
    auto ciphertext = sealed.subspan(header_size + nonce_size, sealed.size() - header_size - nonce_size - tag_size);
    // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only reads the tag.
    std::array<uint8_t, tag_size> tag;
    std::copy(sealed.end() - tag_size, sealed.end(), tag.begin());

    CipherContext context(EVP_CIPHER_CTX_new());
    auto aad = associated_data(name);
    int length = 0;
    if (!context || EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) != 1
        || EVP_DecryptInit_ex(context.get(), nullptr, nullptr, key, nonce) != 1
        || EVP_DecryptUpdate(context.get(), nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1)
        return make_error(ErrorCode::crypto, "cannot initialise AES-256-GCM");

    std::vector<uint8_t> plaintext(ciphertext.size());
    auto fail = [&](std::string detail) {
        // Unauthenticated plaintext must not linger in freed memory either.
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        return make_error(ErrorCode::crypto, std::move(detail));
    };
    uint8_t* out = plaintext.data();
    for (size_t offset = 0; offset < ciphertext.size(); offset += crypt_chunk) {
        auto chunk = static_cast<int>(std::min(crypt_chunk, ciphertext.size() - offset));
        if (EVP_DecryptUpdate(context.get(), out, &length, ciphertext.data() + offset, chunk) != 1)
            return fail("AES-256-GCM decryption failed");
        out += length;
    }
    if (EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, tag_size, tag.data()) != 1)
        return fail("cannot set the AES-256-GCM tag");
    if (EVP_DecryptFinal_ex(context.get(), out, &length) != 1)
        return fail("document " + std::string(name)
            + " failed authentication (altered, or moved from another name or session)");
    return plaintext;
}

Result<void> write_all(int fd, std::span<const uint8_t> data, fs::path const& path)
{
    while (!data.empty()) {
        ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return errno_error(errno, "cannot write", path);
        }
        data = data.subspan(static_cast<size_t>(written));
    }
    return {};
}

Result<std::vector<uint8_t>> read_all(int fd, fs::path const& path)
{
    struct stat info { };
    if (::fstat(fd, &info) != 0)
        return errno_error(errno, "cannot stat", path);
    std::vector<uint8_t> data;
    data.reserve(static_cast<size_t>(info.st_size));
    std::array<uint8_t, 64 * 1024> buffer;
    for (;;) {
        ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errno_error(errno, "cannot read", path);
        }
        if (got == 0)
            return data;
        data.insert(data.end(), buffer.begin(), buffer.begin() + got);
    }
}

size_t key_allocation_size()
{
    long page = ::sysconf(_SC_PAGESIZE);
    return page > 0 ? static_cast<size_t>(page) : 4096;
}

// The key lives in its own anonymous page: locked so it is never swapped out (best effort: an
// unprivileged process may be over RLIMIT_MEMLOCK), excluded from core dumps and zeroed in forked
// children (the browser and printing helpers are forked from the kiosk).
Result<uint8_t*> allocate_key()
{
    size_t size = key_allocation_size();
    void* page = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return make_error(ErrorCode::io, "cannot allocate key memory: " + errno_text(errno));
    (void)::mlock(page, size);
#ifdef MADV_DONTDUMP
    (void)::madvise(page, size, MADV_DONTDUMP);
#endif
#ifdef MADV_WIPEONFORK
    (void)::madvise(page, size, MADV_WIPEONFORK);
#endif
    auto* key = static_cast<uint8_t*>(page);
    if (RAND_bytes(key, key_size) != 1) {
        ::munmap(page, size);
        return make_error(ErrorCode::crypto, "RAND_bytes failed");
    }
    return key;
}

void free_key(uint8_t*& key)
{
    if (!key)
        return;
    size_t size = key_allocation_size();
    OPENSSL_cleanse(key, size);
    ::munlock(key, size);
    ::munmap(key, size);
    key = nullptr;
}

std::unexpected<Error> destroyed_error()
{
    return make_error(ErrorCode::not_found, "the session vault was destroyed");
}

} // namespace

Result<RuntimeDirLock> RuntimeDirLock::acquire(fs::path const& runtime_dir)
{
    TRY(ensure_runtime_dir(runtime_dir));
    auto lock_path = runtime_dir / "kiosk.lock";
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return errno_error(errno, "cannot open", lock_path);
    RuntimeDirLock lock(fd);
    int result;
    do
        result = ::flock(fd, LOCK_EX | LOCK_NB);
    while (result != 0 && errno == EINTR);
    if (result != 0) {
        if (errno == EWOULDBLOCK)
            return make_error(ErrorCode::request_failed, "another kiosk is using " + runtime_dir.string());
        return errno_error(errno, "cannot lock", lock_path);
    }
    return lock;
}

RuntimeDirLock::RuntimeDirLock(RuntimeDirLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
{
}

RuntimeDirLock& RuntimeDirLock::operator=(RuntimeDirLock&& other) noexcept
{
    if (this != &other) {
        RuntimeDirLock released(std::move(*this));
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

RuntimeDirLock::~RuntimeDirLock()
{
    if (m_fd < 0)
        return;
    // A forked child that has not exec'd yet shares the open file description; unlocking explicitly
    // releases the lock now rather than when the last copy of the descriptor closes.
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
}

Result<std::unique_ptr<SessionVault>> SessionVault::create(fs::path const& runtime_dir)
{
    TRY(ensure_runtime_dir(runtime_dir));
    std::unique_ptr<SessionVault> vault(new SessionVault());
    vault->m_key = TRY(allocate_key());
    // Until the directory exists there is nothing to delete: a failure below only has to free the key.
    vault->m_destroyed = true;

    for (int attempt = 0;; ++attempt) {
        auto directory = runtime_dir / (std::string(session_prefix) + TRY(random_hex(8)));
        if (::mkdir(directory.c_str(), 0700) == 0) {
            vault->m_directory = std::move(directory);
            break;
        }
        if (errno != EEXIST || attempt == 10)
            return errno_error(errno, "cannot create", directory);
    }
    vault->m_destroyed = false;
    // mkdir's mode went through the umask; the session directory is private whatever the umask.
    if (::chmod(vault->m_directory.c_str(), 0700) != 0)
        return errno_error(errno, "cannot set mode 0700 on", vault->m_directory);
    return vault;
}

Result<int> SessionVault::purge_leftovers(fs::path const& runtime_dir)
{
    std::error_code ec;
    if (fs::symlink_status(runtime_dir, ec).type() == fs::file_type::not_found)
        return 0;
    fs::directory_iterator it(runtime_dir, ec);
    if (ec)
        return fs_error(ec, "cannot list", runtime_dir);

    // Collect first: deleting while iterating a directory may skip entries.
    std::vector<fs::path> sessions;
    std::vector<fs::path> temporaries;
    for (fs::directory_iterator end; it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (name.starts_with(session_prefix))
            sessions.push_back(it->path());
        else if (name.starts_with(temp_prefix))
            temporaries.push_back(it->path());
    }
    if (ec)
        return fs_error(ec, "cannot list", runtime_dir);

    int removed = 0;
    std::string failures;
    auto remove = [&](fs::path const& path) {
        // remove_all never follows symbolic links: a link named session-x is deleted, its target is not.
        auto result = remove_tree(path);
        if (!result)
            failures += (failures.empty() ? "" : "; ") + result.error().detail;
        return result.has_value();
    };
    for (auto const& path : sessions)
        removed += remove(path) ? 1 : 0;
    for (auto const& path : temporaries)
        remove(path);
    if (!failures.empty())
        return make_error(ErrorCode::io, std::move(failures));
    return removed;
}

SessionVault::~SessionVault()
{
    try {
        if (!m_destroyed)
            (void)destroy();
    } catch (...) {
        // A destructor must not throw; purge_leftovers at the next start deletes what remains.
    }
    free_key(m_key);
}

Result<void> SessionVault::write(std::string_view name, std::span<const uint8_t> plaintext)
{
    if (m_destroyed)
        return destroyed_error();
    TRY(check_name(name));
    auto target = m_directory / name;
    std::error_code ec;
    if (fs::symlink_status(target, ec).type() == fs::file_type::directory)
        return make_error(ErrorCode::usage, std::string(name) + " is the name of a scratch directory");

    auto sealed = TRY(encrypt(m_key, name, plaintext));

    auto temporary = m_directory / (std::string(temp_prefix) + TRY(random_hex(8)));
    FileDescriptor file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (file.get() < 0)
        return errno_error(errno, "cannot create", temporary);
    auto discard = [&](std::unexpected<Error> error) {
        ::unlink(temporary.c_str());
        return error;
    };
    // Errors name the document rather than the temporary: that is what the journal reader looks for.
    if (auto written = write_all(file.get(), sealed, target); !written)
        return discard(std::unexpected(written.error()));
    if (::fsync(file.get()) != 0)
        return discard(errno_error(errno, "cannot sync", target));
    if (file.close() != 0)
        return discard(errno_error(errno, "cannot close", target));
    // No fsync of the directory: session data is not meant to survive a power cut (the next start purges it),
    // only never to be seen half-written.
    if (::rename(temporary.c_str(), target.c_str()) != 0)
        return discard(errno_error(errno, "cannot rename to", target));
    return {};
}

Result<std::vector<uint8_t>> SessionVault::read(std::string_view name) const
{
    if (m_destroyed)
        return destroyed_error();
    TRY(check_name(name));
    auto path = m_directory / name;
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (file.get() < 0) {
        if (errno == ENOENT)
            return make_error(ErrorCode::not_found, "no document named " + std::string(name));
        return errno_error(errno, "cannot open", path);
    }
    struct stat info { };
    if (::fstat(file.get(), &info) != 0)
        return errno_error(errno, "cannot stat", path);
    if (!S_ISREG(info.st_mode))
        return make_error(ErrorCode::not_found, "no document named " + std::string(name));
    auto sealed = TRY(read_all(file.get(), path));
    return decrypt(m_key, name, sealed);
}

Result<void> SessionVault::remove(std::string_view name)
{
    if (m_destroyed)
        return destroyed_error();
    TRY(check_name(name));
    auto path = m_directory / name;
    std::error_code ec;
    auto type = fs::symlink_status(path, ec).type();
    if (type == fs::file_type::not_found || type == fs::file_type::directory)
        return make_error(ErrorCode::not_found, "no document named " + std::string(name));
    if (::unlink(path.c_str()) != 0) {
        if (errno == ENOENT)
            return make_error(ErrorCode::not_found, "no document named " + std::string(name));
        return errno_error(errno, "cannot remove", path);
    }
    return {};
}

std::vector<std::string> SessionVault::list() const
{
    std::vector<std::string> names;
    if (m_destroyed)
        return names;
    std::error_code ec;
    for (fs::directory_iterator it(m_directory, ec), end; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        std::error_code type_ec;
        // Temporaries start with '.', scratch directories are directories: neither is a document.
        if (check_name(name) && it->symlink_status(type_ec).type() == fs::file_type::regular)
            names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    return names;
}

Result<uint64_t> SessionVault::size(std::string_view name) const
{
    if (m_destroyed)
        return destroyed_error();
    TRY(check_name(name));
    std::error_code ec;
    auto stored = fs::file_size(m_directory / std::string(name), ec);
    if (ec)
        return make_error(ErrorCode::not_found, "no document " + std::string(name));
    constexpr uint64_t overhead = header_size + nonce_size + tag_size;
    return stored > overhead ? stored - overhead : 0;
}

uint64_t SessionVault::stored_bytes() const
{
    uint64_t total = 0;
    for (auto const& name : list()) {
        std::error_code ec;
        auto size = fs::file_size(m_directory / name, ec);
        if (!ec)
            total += size;
    }
    return total;
}

Result<fs::path> SessionVault::scratch_directory(std::string_view name)
{
    if (m_destroyed)
        return destroyed_error();
    TRY(check_name(name));
    auto path = m_directory / name;
    if (::mkdir(path.c_str(), 0700) != 0) {
        if (errno != EEXIST)
            return errno_error(errno, "cannot create", path);
        std::error_code ec;
        if (fs::symlink_status(path, ec).type() != fs::file_type::directory)
            return make_error(ErrorCode::usage, std::string(name) + " is the name of a document");
        return path;
    }
    if (::chmod(path.c_str(), 0700) != 0)
        return errno_error(errno, "cannot set mode 0700 on", path);
    return path;
}

Result<void> SessionVault::destroy()
{
    if (m_destroyed) {
        // A destroy that left something behind can be retried; once everything is gone, not_found.
        if (m_directory.empty() || !exists_no_follow(m_directory))
            return destroyed_error();
        return remove_tree(m_directory);
    }
    // The key goes first: whatever the deletion below leaves behind is unreadable from now on.
    m_destroyed = true;
    free_key(m_key);
    return remove_tree(m_directory);
}

} // namespace kiosk::core
