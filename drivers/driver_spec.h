// Driver selection strings: "backend" or "backend:key=value,key=value", e.g. "sim:pages=3" or "sane:device=test:0".
#pragma once

#include "kiosk/core/error.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers {

struct DriverSpec {
    std::string backend;
    std::map<std::string, std::string> params;

    std::optional<std::string> get(std::string const& key) const;
    // An integer parameter within [min, max], or fallback when absent; ErrorCode::usage when malformed.
    Result<int> get_int(std::string const& key, int fallback, int min, int max) const;
    // ErrorCode::usage naming the first parameter not in known, so a typo is never ignored.
    Result<void> allow_only(std::vector<std::string_view> known) const;
};

// The first ':' separates the backend; values run to the next ',' and may contain ':' (device=test:0).
Result<DriverSpec> parse_driver_spec(std::string_view text);

} // namespace kiosk::drivers
