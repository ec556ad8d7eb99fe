// libFuzzer target for the configuration bundle's tar reader: arbitrary bytes as a downloaded, signed bundle.
#include "kiosk/net/tar_reader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <span>
#include <string>

namespace net = kiosk::net;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    net::TarLimits limits;
    limits.max_entries = 64;
    limits.max_entry_bytes = 64 * 1024;
    limits.max_total_bytes = 128 * 1024;
    auto const entries = net::read_tar(std::span<const unsigned char>(data, size), limits);
    if (!entries) {
        if (entries.error().code != kiosk::ErrorCode::config_invalid || !entries.error().detail.starts_with("bundle: "))
            std::abort();
        return 0;
    }
    // What unpacking relies on once an archive is accepted: relative, clean, unique paths, data inside the input,
    // and the limits held.
    std::set<std::string> seen;
    std::size_t total = 0;
    auto const* begin = reinterpret_cast<char const*>(data);
    for (auto const& entry : *entries) {
        auto const& path = entry.path;
        if (path.empty() || path.front() == '/' || path.back() == '/' || path.find("//") != std::string::npos)
            std::abort();
        if (path == ".." || path.starts_with("../") || path.ends_with("/..") || path.find("/../") != std::string::npos)
            std::abort();
        if (path == "." || path.starts_with("./") || path.ends_with("/.") || path.find("/./") != std::string::npos)
            std::abort();
        for (unsigned char c : path)
            if (c < 0x20 || c == 0x7f)
                std::abort();
        if (!seen.insert(path).second)
            std::abort();
        if (entry.kind == net::TarEntry::Kind::file) {
            if (!entry.data.empty()
                && (entry.data.data() < begin || entry.data.data() + entry.data.size() > begin + size))
                std::abort();
            if (entry.data.size() > limits.max_entry_bytes)
                std::abort();
            total += entry.data.size();
        } else if (!entry.data.empty()) {
            std::abort();
        }
    }
    if (total > limits.max_total_bytes || entries->size() > limits.max_entries)
        std::abort();
    return 0;
}
