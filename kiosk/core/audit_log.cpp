// Appends audit records to a JSON-lines file with O_APPEND, so concurrent writers never interleave a line.
#include "kiosk/core/audit_log.h"

#include "kiosk/core/json.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace kiosk::core {

namespace {

constexpr size_t max_recent = 200;

std::string iso8601(std::chrono::system_clock::time_point when)
{
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    std::tm utc {};
    gmtime_r(&seconds, &utc);
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
        utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis % 1000));
    return buffer;
}

} // namespace

Result<AuditLog> AuditLog::open(std::filesystem::path const& path, Clock const& clock)
{
    if (path.empty())
        return AuditLog(-1, clock);
    std::error_code ec;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path(), ec);
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return make_error(ErrorCode::io, "cannot open audit log " + path.string() + ": " + std::strerror(errno));
    return AuditLog(fd, clock);
}

AuditLog::AuditLog(AuditLog&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_clock(other.m_clock)
    , m_recent(std::move(other.m_recent))
    , m_write_failures(other.m_write_failures)
{
}

AuditLog::~AuditLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void AuditLog::record(std::string_view event, std::initializer_list<AuditField> fields)
{
    JsonWriter json;
    json.begin_object();
    json.key("ts").value(iso8601(m_clock->wall_now()));
    json.key("event").value(event);
    for (auto const& [name, value] : fields) {
        json.key(name);
        std::visit([&](auto const& v) { json.value(v); }, value);
    }
    json.end_object();
    std::string line = json.str() + "\n";

    std::lock_guard lock(m_mutex);
    if (m_fd >= 0) {
        ssize_t written = ::write(m_fd, line.data(), line.size());
        if (written != static_cast<ssize_t>(line.size()))
            ++m_write_failures;
    }
    line.pop_back();
    m_recent.push_back(std::move(line));
    if (m_recent.size() > max_recent)
        m_recent.erase(m_recent.begin());
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
