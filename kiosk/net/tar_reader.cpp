// Reads ustar headers block by block, checking every field it uses before it trusts it.
#include "kiosk/net/tar_reader.h"

#include <optional>
#include <set>

namespace kiosk::net {

namespace {

constexpr size_t block = 512;
// A long name longer than any path a bundle needs is refused before it is read.
constexpr size_t max_path_bytes = 1024;

std::unexpected<Error> refuse(std::string why)
{
    return make_error(ErrorCode::config_invalid, "bundle: " + std::move(why));
}

std::string_view field(std::span<const unsigned char> header, size_t offset, size_t length)
{
    auto const* start = reinterpret_cast<char const*>(header.data() + offset);
    std::string_view text(start, length);
    if (auto nul = text.find('\0'); nul != std::string_view::npos)
        text = text.substr(0, nul);
    return text;
}

// An octal number field: optional leading spaces, digits, then NUL or spaces. The base-256 form GNU tar uses for
// sizes over 8 GiB is refused: nothing that large belongs in a bundle.
std::optional<uint64_t> octal(std::span<const unsigned char> header, size_t offset, size_t length)
{
    size_t i = 0;
    while (i < length && header[offset + i] == ' ')
        ++i;
    uint64_t value = 0;
    size_t digits = 0;
    for (; i < length && header[offset + i] >= '0' && header[offset + i] <= '7'; ++i, ++digits) {
        if (value > (UINT64_MAX >> 3))
            return std::nullopt;
        value = value * 8 + (header[offset + i] - '0');
    }
    for (; i < length; ++i)
        if (header[offset + i] != ' ' && header[offset + i] != '\0')
            return std::nullopt;
    if (digits == 0)
        return std::nullopt;
    return value;
}

bool checksum_matches(std::span<const unsigned char> header)
{
    auto stored = octal(header, 148, 8);
    if (!stored)
        return false;
    uint64_t sum = 0;
    for (size_t i = 0; i < block; ++i)
        sum += (i >= 148 && i < 156) ? ' ' : header[i];
    return sum == *stored;
}

bool all_zero(std::span<const unsigned char> header)
{
    for (auto byte : header)
        if (byte != 0)
            return false;
    return true;
}

// The path as a bundle may hold it, or why not.
Result<std::string> normalise(std::string_view raw, bool directory)
{
    if (raw.empty())
        return refuse("an entry without a name");
    if (raw.size() > max_path_bytes)
        return refuse("a name longer than " + std::to_string(max_path_bytes) + " bytes");
    if (raw.front() == '/')
        return refuse("absolute path '" + std::string(raw) + "'");
    std::string path;
    size_t start = 0;
    bool leading = true;
    while (start <= raw.size()) {
        size_t end = raw.find('/', start);
        if (end == std::string_view::npos)
            end = raw.size();
        std::string_view part = raw.substr(start, end - start);
        bool last = end == raw.size();
        start = end + 1;
        if (part == "." && leading)
            continue; // "./kiosk.toml", as `tar -C DIR .` writes
        leading = false;
        if (part.empty() && last && directory)
            break; // "assets/"
        if (part.empty() || part == "." || part == "..")
            return refuse("path '" + std::string(raw) + "' has an empty, '.' or '..' part");
        for (unsigned char c : part)
            if (c < 0x20 || c == 0x7f)
                return refuse("path with a control character");
        if (!path.empty())
            path += '/';
        path += part;
    }
    if (path.empty() && !directory)
        return refuse("a file named '" + std::string(raw) + "'");
    return path;
}

// The "path" record of a pax extended header ("LEN path=VALUE\n" records). Records that would change how the data
// reads (size, sparse maps, link targets) are refused; times, owners and the like say nothing a bundle needs.
Result<std::optional<std::string>> pax_path(std::string_view records)
{
    std::optional<std::string> path;
    while (!records.empty()) {
        size_t space = records.find(' ');
        if (space == std::string_view::npos || space == 0 || space > 8)
            return refuse("malformed pax header");
        size_t length = 0;
        for (char c : records.substr(0, space)) {
            if (c < '0' || c > '9')
                return refuse("malformed pax header");
            length = length * 10 + static_cast<size_t>(c - '0');
        }
        if (length <= space + 1 || length > records.size() || records[length - 1] != '\n')
            return refuse("malformed pax header");
        std::string_view record = records.substr(space + 1, length - space - 2);
        records.remove_prefix(length);
        size_t equals = record.find('=');
        if (equals == std::string_view::npos)
            return refuse("malformed pax header");
        std::string_view key = record.substr(0, equals);
        std::string_view value = record.substr(equals + 1);
        if (key == "path") {
            if (value.find('\0') != std::string_view::npos)
                return refuse("a pax path with a NUL byte");
            path = std::string(value);
        } else if (key == "size" || key == "linkpath" || key.starts_with("GNU.sparse")) {
            return refuse("unsupported pax record '" + std::string(key) + "'");
        }
    }
    return path;
}

} // namespace

Result<std::vector<TarEntry>> read_tar(std::span<const unsigned char> archive, TarLimits const& limits)
{
    std::vector<TarEntry> entries;
    std::set<std::string> files;
    std::set<std::string> folders; // declared or implied by a file inside
    std::set<std::string> declared_folders;
    std::optional<std::string> long_name; // from a GNU 'L' or a pax 'x' entry, for the next header
    size_t total = 0;
    size_t offset = 0;
    for (;;) {
        if (archive.size() - offset < block)
            return refuse("archive cut short (no end-of-archive block)");
        auto header = archive.subspan(offset, block);
        offset += block;
        if (all_zero(header)) {
            if (long_name)
                return refuse("archive ends after a long name");
            break; // the end: what follows is padding
        }
        if (!checksum_matches(header))
            return refuse("bad header checksum at byte " + std::to_string(offset - block));
        auto magic = field(header, 257, 6);
        bool posix = magic == "ustar" && header[263] == '0' && header[264] == '0';
        bool gnu = std::string_view(reinterpret_cast<char const*>(header.data() + 257), 8)
            == std::string_view("ustar  \0", 8);
        if (!posix && !gnu)
            return refuse("not a ustar archive");
        auto size = octal(header, 124, 12);
        if (!size)
            return refuse("bad size field at byte " + std::to_string(offset - block));
        if (*size > limits.max_entry_bytes)
            return refuse("an entry of " + std::to_string(*size) + " bytes, over the limit of "
                + std::to_string(limits.max_entry_bytes));
        size_t padded = (static_cast<size_t>(*size) + block - 1) / block * block;
        if (archive.size() - offset < padded)
            return refuse("archive cut short inside an entry");
        std::string_view data(reinterpret_cast<char const*>(archive.data() + offset), static_cast<size_t>(*size));
        offset += padded;

        char type = static_cast<char>(header[156]);
        if (type == 'L' || type == 'x') {
            if (long_name)
                return refuse("two long names for one entry");
            // A pax header also carries times and owners beside the path.
            if (*size > (type == 'L' ? max_path_bytes + 1 : 4 * max_path_bytes))
                return refuse("a long name over " + std::to_string(max_path_bytes) + " bytes");
            if (type == 'L') {
                long_name = std::string(data.substr(0, data.find('\0')));
            } else {
                auto path = TRY(pax_path(data));
                long_name = path.value_or(std::string());
                if (!path)
                    long_name.reset(); // a pax header without a path: the ustar name stands
            }
            if (long_name && long_name->empty())
                return refuse("an empty long name");
            continue;
        }

        std::string raw;
        if (long_name) {
            raw = std::move(*long_name);
            long_name.reset();
        } else {
            raw = std::string(field(header, 0, 100));
            if (auto prefix = field(header, 345, 155); posix && !prefix.empty())
                raw = std::string(prefix) + "/" + raw;
        }

        TarEntry entry;
        if (type == '0' || type == '\0')
            entry.kind = TarEntry::Kind::file;
        else if (type == '5')
            entry.kind = TarEntry::Kind::directory;
        else if (type == '1' || type == '2')
            return refuse("link '" + raw + "': a bundle holds files and folders only");
        else if (type == '3' || type == '4' || type == '6')
            return refuse("device or pipe '" + raw + "': a bundle holds files and folders only");
        else
            return refuse("entry '" + raw + "' of unsupported type '" + std::string(1, type) + "'");
        entry.path = TRY(normalise(raw, entry.kind == TarEntry::Kind::directory));
        if (entry.path.empty())
            continue; // "./", the archive's own top folder

        if (files.contains(entry.path) || (entry.kind == TarEntry::Kind::file && folders.contains(entry.path)))
            return refuse("'" + entry.path + "' twice in the archive");
        if (entry.kind == TarEntry::Kind::directory && declared_folders.contains(entry.path))
            return refuse("'" + entry.path + "' twice in the archive");
        for (size_t slash = entry.path.find('/'); slash != std::string::npos; slash = entry.path.find('/', slash + 1)) {
            std::string parent = entry.path.substr(0, slash);
            if (files.contains(parent))
                return refuse("'" + entry.path + "' inside the file '" + parent + "'");
            folders.insert(parent);
        }
        if (entry.kind == TarEntry::Kind::file) {
            files.insert(entry.path);
            entry.data = data;
            total += data.size();
            if (total > limits.max_total_bytes)
                return refuse("files over " + std::to_string(limits.max_total_bytes) + " bytes in all");
        } else {
            if (!data.empty())
                return refuse("folder '" + entry.path + "' with data");
            folders.insert(entry.path);
            declared_folders.insert(entry.path);
        }
        entries.push_back(std::move(entry));
        if (entries.size() > limits.max_entries)
            return refuse("more than " + std::to_string(limits.max_entries) + " entries");
    }
    return entries;
}

} // namespace kiosk::net
