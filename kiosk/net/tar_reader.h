// A careful reader of the configuration bundle's tar: ustar with the GNU and pax long names that GNU tar writes for
// plain files and folders, and nothing else. The bundle is signed, but it is still treated as untrusted input.
#pragma once

#include "kiosk/core/error.h"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::net {

struct TarLimits {
    size_t max_entries = 2000;
    size_t max_entry_bytes = 16 * 1024 * 1024;
    size_t max_total_bytes = 48 * 1024 * 1024;
};

struct TarEntry {
    enum class Kind { file, directory };
    Kind kind = Kind::file;
    // Relative, normalised: no leading "./", no trailing "/", no empty, "." or ".." component.
    std::string path;
    std::string_view data; // a file's bytes, inside the archive passed to read_tar
};

// Every entry of the archive, in order, or ErrorCode::config_invalid naming the first thing refused: an absolute
// path or "..", a link, a device or any other kind than a file or a folder, the same path twice (or a file where a
// folder is), a bad header checksum, an archive cut short, an entry or a total over the limits.
Result<std::vector<TarEntry>> read_tar(std::span<const unsigned char> archive, TarLimits const& limits = {});

} // namespace kiosk::net
