// Parses driver selection strings.
#include "drivers/driver_spec.h"

#include <charconv>

namespace kiosk::drivers {

std::optional<std::string> DriverSpec::get(std::string const& key) const
{
    if (auto it = params.find(key); it != params.end())
        return it->second;
    return std::nullopt;
}

Result<int> DriverSpec::get_int(std::string const& key, int fallback, int min, int max) const
{
    auto text = get(key);
    if (!text)
        return fallback;
    int value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max)
        return make_error(ErrorCode::usage,
            backend + " driver: '" + key + "' must be a whole number from " + std::to_string(min) + " to "
                + std::to_string(max));
    return value;
}

Result<void> DriverSpec::allow_only(std::vector<std::string_view> known) const
{
    for (auto const& [key, value] : params) {
        bool found = false;
        for (auto name : known)
            found = found || name == key;
        if (!found)
            return make_error(ErrorCode::usage, backend + " driver: unknown parameter '" + key + "'");
    }
    return {};
}

Result<DriverSpec> parse_driver_spec(std::string_view text)
{
    DriverSpec spec;
    auto colon = text.find(':');
    spec.backend = std::string(text.substr(0, colon));
    if (spec.backend.empty())
        return make_error(ErrorCode::usage, "driver string '" + std::string(text) + "' has no backend name");
    for (char c : spec.backend)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return make_error(ErrorCode::usage, "driver string '" + std::string(text) + "': bad backend name");
    if (colon == std::string_view::npos)
        return spec;
    std::string_view rest = text.substr(colon + 1);
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        auto equals = item.find('=');
        if (equals == std::string_view::npos || equals == 0)
            return make_error(ErrorCode::usage,
                "driver string '" + std::string(text) + "': expected key=value, got '" + std::string(item) + "'");
        spec.params[std::string(item.substr(0, equals))] = std::string(item.substr(equals + 1));
        if (comma == std::string_view::npos)
            break;
        rest = rest.substr(comma + 1);
    }
    return spec;
}

} // namespace kiosk::drivers
