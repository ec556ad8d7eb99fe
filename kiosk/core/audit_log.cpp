// Appends chained audit records to a JSON-lines file with O_APPEND, under an flock so two writers never fork the
// chain, and drops the lines past the retention when the log is opened.
#include "kiosk/core/audit_log.h"

#include "kiosk/core/json.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace kiosk::core {

namespace {

constexpr size_t max_recent = 200;
// How much of the log's end is read to find where the chain stands: many lines, as a line is under 1 KiB.
constexpr off_t tail_window = 64 * 1024;

// Holds an flock for a scope.
class FileLock {
public:
    explicit FileLock(int fd)
        : m_fd(fd)
    {
        if (m_fd >= 0)
            while (::flock(m_fd, LOCK_EX) != 0 && errno == EINTR) { }
    }
    ~FileLock()
    {
        if (m_fd >= 0)
            ::flock(m_fd, LOCK_UN);
    }
    FileLock(FileLock const&) = delete;
    FileLock& operator=(FileLock const&) = delete;

private:
    int m_fd;
};

bool write_all(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        bytes.remove_prefix(static_cast<size_t>(written));
    }
    return true;
}

// Rewrites the log without the lines older than the retention: a new file that begins with a retention marker
// chained to the last dropped line, then the kept lines byte for byte, fsynced and renamed over the log. It only
// rewrites when the oldest line is a day past the retention, so a kiosk that restarts often copies the file at
// most once a day; otherwise it reads the first line or two.
Result<void> apply_retention(
    std::filesystem::path const& path, AuditKey const& key, int days, std::chrono::system_clock::time_point now)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    auto cutoff = now - std::chrono::days(days);
    std::string line;
    std::optional<std::chrono::system_clock::time_point> oldest;
    for (int i = 0; i < 2 && std::getline(in, line); ++i) {
        auto parts = parse_audit_line(line);
        if (!parts)
            break;
        if (i == 0 && parts->event == "audit_retention")
            continue;
        oldest = parts->ts;
        break;
    }
    if (!oldest || *oldest >= cutoff - std::chrono::days(1))
        return {};

    in.clear();
    in.seekg(0);
    std::string dropped_text;
    uint64_t dropped = 0;
    AuditChainHead last_dropped;
    std::streamoff keep_from = 0;
    for (;;) {
        keep_from = in.tellg();
        if (!std::getline(in, line) || in.eof())
            break; // the end, or a torn last line, which stays for the kiosk to mark
        auto parts = parse_audit_line(line);
        if (parts && parts->ts && *parts->ts >= cutoff)
            break;
        if (parts)
            last_dropped = audit_head_after(*parts, line);
        dropped_text += line;
        dropped_text += '\n';
        ++dropped;
    }
    std::istringstream dropped_stream(dropped_text);
    bool intact = verify_audit_chain(dropped_stream, key).has_value();
    dropped_text = {};

    JsonWriter marker;
    marker.begin_object();
    marker.key("ts").value(audit_timestamp(now));
    marker.key("event").value("audit_retention");
    marker.key("dropped").value(dropped);
    marker.key("before").value(audit_timestamp(cutoff));
    marker.key("last_dropped_mac").value(last_dropped.mac);
    marker.key("dropped_chain").value(intact ? "intact" : "broken");
    marker.end_object();

    struct stat original { };
    ::stat(path.c_str(), &original);
    auto temporary = path;
    temporary += ".retention";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0)
        return make_error(ErrorCode::io, "cannot write " + temporary.string() + ": " + std::strerror(errno));
    // The group the package gave the log stays (root changes it back; the kiosk's own user cannot and need not).
    ::fchmod(fd, original.st_mode & 0777);
    if (::fchown(fd, original.st_uid, original.st_gid) != 0) { }
    bool ok = write_all(fd, audit_retention_line(key, last_dropped, marker.str()) + "\n");
    in.clear();
    in.seekg(keep_from);
    std::vector<char> buffer(1 << 20);
    while (ok && (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0))
        ok = write_all(fd, std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
        std::string why = std::strerror(errno);
        ::unlink(temporary.c_str());
        return make_error(ErrorCode::io, "cannot drop old lines from " + path.string() + ": " + why);
    }
    auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return {};
}

} // namespace

Result<AuditLog> AuditLog::open(std::filesystem::path const& path, Clock const& clock, AuditSettings settings)
{
    AuditLog log(clock);
    if (path.empty())
        return log;
    std::error_code ec;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path(), ec);
    auto key_path = audit_key_path(path);
    log.m_key = TRY(load_or_create_audit_key(key_path));
    log.m_lock_fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (log.m_lock_fd < 0)
        return make_error(ErrorCode::io, "cannot open " + key_path.string() + ": " + std::strerror(errno));
    log.m_path = path;
    FileLock lock(log.m_lock_fd);
    auto trimmed = apply_retention(path, log.m_key, settings.retention_days, clock.wall_now());
    log.m_fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (log.m_fd < 0)
        return make_error(ErrorCode::io, "cannot open audit log " + path.string() + ": " + std::strerror(errno));
    log.catch_up();
    if (!trimmed) {
        // A full disk must not keep the kiosk from starting; the next start tries again.
        AuditChainHead next = log.m_head;
        JsonWriter json;
        json.begin_object().key("ts").value(audit_timestamp(clock.wall_now()));
        json.key("event").value("audit_retention_failed").key("code").value(to_string(trimmed.error().code));
        json.end_object();
        if (write_all(log.m_fd, chain_audit_line(log.m_key, next, json.str()) + "\n"))
            log.m_head = next;
        log.m_known_size = -1;
    }
    return log;
}

AuditLog::AuditLog(AuditLog&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_fd(std::exchange(other.m_fd, -1))
    , m_lock_fd(std::exchange(other.m_lock_fd, -1))
    , m_key(other.m_key)
    , m_head(std::move(other.m_head))
    , m_known_size(other.m_known_size)
    , m_clock(other.m_clock)
    , m_recent(std::move(other.m_recent))
    , m_write_failures(other.m_write_failures)
    , m_observer(std::move(other.m_observer))
{
}

AuditLog::~AuditLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_lock_fd >= 0)
        ::close(m_lock_fd);
}

void AuditLog::catch_up()
{
    struct stat on_disk { };
    struct stat open_file { };
    if (::stat(m_path.c_str(), &on_disk) != 0 || ::fstat(m_fd, &open_file) != 0 || on_disk.st_ino != open_file.st_ino
        || on_disk.st_dev != open_file.st_dev) {
        // Another process dropped old lines (a new file renamed in place) or the log was removed: write to what is
        // at the path now, as a new process would.
        int fd = ::open(m_path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
        if (fd >= 0) {
            ::close(m_fd);
            m_fd = fd;
        }
        m_known_size = -1;
        if (::fstat(m_fd, &open_file) != 0)
            return;
    }
    if (open_file.st_size == m_known_size)
        return;

    off_t size = open_file.st_size;
    off_t start = std::max<off_t>(0, size - tail_window);
    std::string tail(static_cast<size_t>(size - start), '\0');
    ssize_t got = ::pread(m_fd, tail.data(), tail.size(), start);
    tail.resize(got > 0 ? static_cast<size_t>(got) : 0);
    bool torn = !tail.empty() && tail.back() != '\n';
    size_t last_newline = tail.rfind('\n');
    std::string fragment
        = !torn ? std::string() : tail.substr(last_newline == std::string::npos ? 0 : last_newline + 1);
    std::string_view whole(tail.data(), last_newline == std::string::npos ? 0 : last_newline);
    if (start > 0) {
        // The window's first line is cut; it is not read.
        auto first_newline = whole.find('\n');
        whole = first_newline == std::string_view::npos ? std::string_view() : whole.substr(first_newline + 1);
    }

    AuditChainHead previous = std::exchange(m_head, {});
    while (!whole.empty()) {
        size_t begin = whole.rfind('\n');
        std::string_view line = begin == std::string_view::npos ? whole : whole.substr(begin + 1);
        if (auto parts = parse_audit_line(line)) {
            m_head = audit_head_after(*parts, line);
            break;
        }
        whole = begin == std::string_view::npos ? std::string_view() : whole.substr(0, begin);
    }

    if (torn) {
        // A power cut during an append left a line without its end. If all of it but the newline is there and
        // checks, it only needs the newline; otherwise a marker vouches for the torn bytes and the chain goes on
        // from the last whole line.
        std::string append = "\n";
        AuditChainHead next = m_head;
        auto parts = parse_audit_line(fragment);
        if (parts && parts->seq == m_head.seq + 1 && audit_mac(m_key, m_head.mac, parts->content) == parts->mac) {
            next = audit_head_after(*parts, fragment);
        } else {
            JsonWriter json;
            json.begin_object().key("ts").value(audit_timestamp(m_clock->wall_now()));
            json.key("event").value("audit_torn_line");
            json.key("bytes").value(static_cast<uint64_t>(fragment.size()));
            json.key("sha256").value(audit_sha256(fragment));
            json.end_object();
            append += chain_audit_line(m_key, next, json.str()) + "\n";
        }
        if (write_all(m_fd, append))
            m_head = next;
        else
            ++m_write_failures;
    }

    // This process wrote up to previous; if the log now ends before it, or elsewhere at the same seq, lines were cut
    // off its end, or it was deleted or put back from an older copy while the kiosk ran. The chain goes on from what
    // is there, and says so in a line that `kiosk audit verify` stops at.
    if (m_head.seq < previous.seq || (m_head.seq == previous.seq && m_head.mac != previous.mac)) {
        AuditChainHead next = m_head;
        JsonWriter json;
        json.begin_object().key("ts").value(audit_timestamp(m_clock->wall_now()));
        json.key("event").value("audit_lines_missing");
        json.key("written_seq").value(previous.seq);
        json.key("found_seq").value(m_head.seq);
        json.end_object();
        if (write_all(m_fd, chain_audit_line(m_key, next, json.str()) + "\n"))
            m_head = next;
        else
            ++m_write_failures;
    }
    if (::fstat(m_fd, &open_file) == 0)
        m_known_size = open_file.st_size;
}

void AuditLog::record(std::string_view event, std::initializer_list<AuditField> fields)
{
    JsonWriter json;
    json.begin_object();
    json.key("ts").value(audit_timestamp(m_clock->wall_now()));
    json.key("event").value(event);
    for (auto const& [name, value] : fields) {
        json.key(name);
        std::visit(
            [&](auto const& v) {
                if constexpr (std::is_same_v<std::decay_t<decltype(v)>, AuditCounts>) {
                    json.begin_object();
                    for (auto const& [counted, count] : v.entries)
                        json.key(counted).value(count);
                    json.end_object();
                } else {
                    json.value(v);
                }
            },
            value);
    }
    json.end_object();

    {
        std::lock_guard lock(m_mutex);
        std::string line;
        if (m_fd >= 0) {
            FileLock file_lock(m_lock_fd);
            catch_up();
            AuditChainHead next = m_head;
            line = chain_audit_line(m_key, next, json.str()) + "\n";
            if (write_all(m_fd, line)) {
                m_head = std::move(next);
                m_known_size += static_cast<off_t>(line.size());
            } else {
                // What part of the line reached the disk is torn: the next append reads the end again and marks it.
                ++m_write_failures;
                m_known_size = -1;
            }
            line.pop_back();
        } else {
            line = json.str();
        }
        m_recent.push_back(std::move(line));
        if (m_recent.size() > max_recent)
            m_recent.erase(m_recent.begin());
    }

    // Outside the log's lock: the observer takes its own, and the next record need not wait for it.
    std::shared_ptr<AuditObserver const> observer;
    {
        std::lock_guard lock(m_observer_mutex);
        observer = m_observer;
    }
    if (observer && *observer)
        (*observer)(event, fields);
}

void AuditLog::set_observer(AuditObserver observer)
{
    auto shared = observer ? std::make_shared<AuditObserver const>(std::move(observer)) : nullptr;
    std::lock_guard lock(m_observer_mutex);
    m_observer = std::move(shared);
}

std::vector<std::string> AuditLog::recent() const
{
    std::lock_guard lock(m_mutex);
    return m_recent;
}

uint64_t AuditLog::write_failures() const
{
    std::lock_guard lock(m_mutex);
    return m_write_failures;
}

} // namespace kiosk::core
