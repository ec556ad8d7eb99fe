// The audit chain's key file, its HMAC, and the line-by-line check of a whole log.
#include "kiosk/core/audit_chain.h"

#include "kiosk/core/hex.h"
#include "kiosk/core/json.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <istream>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::core {

namespace {

// `,"mac":"` + 64 hex + `"}`: the end of every chained line.
constexpr std::string_view mac_prefix = R"(,"mac":")";
constexpr size_t mac_suffix_size = mac_prefix.size() + 64 + 2;
constexpr std::string_view seq_prefix = R"(,"seq":)";

bool is_hex64(std::string_view text)
{
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The raw text of a member of one of our flat lines: the quoted string's inside, or the number. In valid JSON a
// `"name":` outside an escape is always a key, so the first one is the member.
std::optional<std::string_view> member(std::string_view line, std::string_view name)
{
    std::string needle = "\"" + std::string(name) + "\":";
    auto at = line.find(needle);
    if (at == std::string_view::npos)
        return std::nullopt;
    auto rest = line.substr(at + needle.size());
    if (rest.starts_with('"')) {
        auto end = rest.find('"', 1);
        if (end == std::string_view::npos)
            return std::nullopt;
        return rest.substr(1, end - 1);
    }
    return rest.substr(0, rest.find_first_of(",}"));
}

std::optional<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text)
{
    std::tm utc {};
    int millis = 0;
    char zulu = 0;
    std::string copy(text);
    if (copy.size() != 24
        || std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
               &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &millis, &zulu)
            != 8
        || zulu != 'Z')
        return std::nullopt;
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    std::time_t seconds = ::timegm(&utc);
    return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

} // namespace

std::string audit_sha256(std::string_view bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
    return to_hex(std::span<const unsigned char>(digest, size));
}

namespace {

std::string describe_errno(std::filesystem::path const& path)
{
    return path.string() + ": " + std::strerror(errno);
}

} // namespace

std::string audit_timestamp(std::chrono::system_clock::time_point when)
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

std::filesystem::path audit_key_path(std::filesystem::path const& log)
{
    return log.parent_path() / "audit.key";
}

Result<AuditKey> load_audit_key(std::filesystem::path const& path, AuditKeyUse use)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return make_error(ErrorCode::io, "cannot read the audit key " + describe_errno(path));
    struct stat st { };
    AuditKey key {};
    ssize_t got = -1;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == static_cast<off_t>(key.size()))
        got = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (!S_ISREG(st.st_mode) || st.st_size != static_cast<off_t>(key.size()))
        return make_error(ErrorCode::config_invalid,
            "the audit key " + path.string() + " is not a file of " + std::to_string(key.size()) + " bytes");
    if (got != static_cast<ssize_t>(key.size()))
        return make_error(ErrorCode::io, "cannot read the audit key " + describe_errno(path));
    if (use == AuditKeyUse::write && (st.st_mode & S_IRWXO) != 0)
        return make_error(ErrorCode::config_invalid,
            "the audit key " + path.string()
                + " is open to others, who could forge audit lines (chmod o= " + path.string() + ")");
    return key;
}

Result<AuditKey> load_or_create_audit_key(std::filesystem::path const& path)
{
    if (::access(path.c_str(), F_OK) == 0 || errno != ENOENT)
        return load_audit_key(path);
    AuditKey key {};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
        return make_error(ErrorCode::crypto, "no randomness for the audit key");
    auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string temporary = (directory / ".audit.key.XXXXXX").string();
    int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0)
        return make_error(ErrorCode::io, "cannot create the audit key in " + describe_errno(directory));
    bool written = ::fchmod(fd, 0640) == 0 && ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size())
        && ::fsync(fd) == 0;
    ::close(fd);
    // link() fails with EEXIST when another process made the key first: then its key is the one to use.
    bool linked = written && (::link(temporary.c_str(), path.c_str()) == 0 || errno == EEXIST);
    int link_errno = errno;
    ::unlink(temporary.c_str());
    if (!linked) {
        errno = link_errno;
        return make_error(ErrorCode::io, "cannot create the audit key " + describe_errno(path));
    }
    return load_audit_key(path);
}

std::string audit_mac(AuditKey const& key, std::string_view prev_mac, std::string_view content)
{
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* context = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t size = 0;
    bool ok = context && EVP_MAC_init(context, key.data(), key.size(), params) == 1
        && EVP_MAC_update(context, reinterpret_cast<unsigned char const*>(prev_mac.data()), prev_mac.size()) == 1
        && EVP_MAC_update(context, reinterpret_cast<unsigned char const*>("\n"), 1) == 1
        && EVP_MAC_update(context, reinterpret_cast<unsigned char const*>(content.data()), content.size()) == 1
        && EVP_MAC_final(context, mac, &size, sizeof mac) == 1;
    EVP_MAC_CTX_free(context);
    EVP_MAC_free(hmac);
    // No HMAC means no OpenSSL default provider: no line can check then, which the verifier reports as bad macs.
    if (!ok)
        return std::string(64, 'x');
    return to_hex(std::span<const unsigned char>(mac, size));
}

namespace {

std::string make_line(AuditKey const& key, std::string_view prev_mac, uint64_t seq, std::string_view object,
    std::string* mac_out = nullptr)
{
    if (object.ends_with('}'))
        object.remove_suffix(1);
    std::string content(object);
    content += seq_prefix;
    content += std::to_string(seq);
    content += '}';
    std::string mac = audit_mac(key, prev_mac, content);
    std::string line = content.substr(0, content.size() - 1);
    line += mac_prefix;
    line += mac;
    line += "\"}";
    if (mac_out)
        *mac_out = std::move(mac);
    return line;
}

} // namespace

std::string chain_audit_line(AuditKey const& key, AuditChainHead& head, std::string_view object)
{
    std::string mac;
    std::string line = make_line(key, head.mac, head.seq + 1, object, &mac);
    head = { std::move(mac), head.seq + 1 };
    return line;
}

std::string audit_retention_line(AuditKey const& key, AuditChainHead const& last_dropped, std::string_view object)
{
    return make_line(key, last_dropped.mac, last_dropped.seq, object);
}

std::optional<AuditLineParts> parse_audit_line(std::string_view line)
{
    if (line.size() < mac_suffix_size + seq_prefix.size() + 2 || !json_valid(line))
        return std::nullopt;
    auto suffix = line.substr(line.size() - mac_suffix_size);
    if (!suffix.starts_with(mac_prefix) || !suffix.ends_with("\"}"))
        return std::nullopt;
    AuditLineParts parts;
    parts.mac = std::string(suffix.substr(mac_prefix.size(), 64));
    if (!is_hex64(parts.mac))
        return std::nullopt;
    auto body = line.substr(0, line.size() - mac_suffix_size);
    auto seq_at = body.rfind(seq_prefix);
    if (seq_at == std::string_view::npos)
        return std::nullopt;
    auto digits = body.substr(seq_at + seq_prefix.size());
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parts.seq);
    if (error != std::errc() || end != digits.data() + digits.size() || (digits.size() > 1 && digits.starts_with('0')))
        return std::nullopt;
    parts.content = std::string(body) + "}";
    if (auto event = member(body, "event"))
        parts.event = std::string(*event);
    if (auto ts = member(body, "ts"))
        parts.ts = parse_timestamp(*ts);
    return parts;
}

AuditChainHead audit_head_after(AuditLineParts const& parts, std::string_view line)
{
    if (parts.event == "audit_retention")
        if (auto last = member(line, "last_dropped_mac"); last && is_hex64(*last))
            return { std::string(*last), parts.seq };
    return { parts.mac, parts.seq };
}

std::expected<AuditVerified, AuditBreak> verify_audit_chain(std::istream& log, AuditKey const& key)
{
    AuditVerified result;
    AuditChainHead& head = result.head;
    // A line that is not a chained line, kept until the next line says whether a power cut tore it.
    std::optional<std::pair<uint64_t, std::string>> unparsed;
    std::string line;
    uint64_t number = 0;
    auto broken = [](uint64_t at, std::string why) { return std::unexpected(AuditBreak { at, std::move(why) }); };
    while (std::getline(log, line)) {
        ++number;
        if (log.eof()) {
            if (unparsed)
                return broken(unparsed->first, "malformed JSON");
            return broken(number,
                "torn: the file ends in the middle of this line (cut short, or the kiosk stopped while writing "
                "it)");
        }
        auto parts = parse_audit_line(line);
        if (unparsed) {
            auto bytes = parts && parts->event == "audit_torn_line" ? member(line, "bytes") : std::nullopt;
            auto sha = parts && parts->event == "audit_torn_line" ? member(line, "sha256") : std::nullopt;
            if (!bytes || !sha || *bytes != std::to_string(unparsed->second.size())
                || *sha != audit_sha256(unparsed->second))
                return broken(unparsed->first, "malformed JSON");
            result.torn_lines.push_back(unparsed->first);
            unparsed.reset();
        }
        if (!parts) {
            if (json_valid(line))
                return broken(number, "no seq and mac: a line the kiosk did not chain");
            unparsed.emplace(number, line);
            continue;
        }
        if (number == 1 && parts->event == "audit_retention") {
            head = audit_head_after(*parts, line);
            if (auto dropped = member(line, "dropped"))
                std::from_chars(dropped->data(), dropped->data() + dropped->size(), result.dropped);
            if (audit_mac(key, head.mac, parts->content) != parts->mac)
                return broken(number, "edited or bad mac (a retention marker that does not check)");
            continue;
        }
        if (audit_mac(key, head.mac, parts->content) != parts->mac) {
            uint64_t due = head.seq + 1;
            if (parts->seq > due)
                return broken(number,
                    "missing line: a line before it is gone (sequence number " + std::to_string(parts->seq) + ", "
                        + std::to_string(due) + " due)");
            if (parts->seq < due)
                return broken(number,
                    "out of order: moved, or a copy of an earlier line (sequence number " + std::to_string(parts->seq)
                        + ", " + std::to_string(due) + " due)");
            return broken(number,
                number == 1 ? "edited or bad mac (or not the key this log was written with)"
                            : "edited or bad mac (the mac does not match the line and the one before)");
        }
        if (parts->seq != head.seq + 1)
            return broken(number, "out of sequence: the chain forked");
        if (parts->event == "audit_lines_missing")
            return broken(number,
                "missing lines: the kiosk found the log cut, deleted or replaced by an older copy while it ran (it "
                "had written up to sequence number "
                    + std::string(member(line, "written_seq").value_or("?")) + ")");
        head = audit_head_after(*parts, line);
    }
    if (unparsed)
        return broken(unparsed->first, "malformed JSON");
    result.lines = number;
    return result;
}

} // namespace kiosk::core
