// How each device class's registry looks a backend up by name; included by the per-class registry files only.
#pragma once

#include "drivers/registry.h"

#include <functional>
#include <string_view>

namespace kiosk::drivers::registry {

template<typename Device>
struct Backend {
    std::string_view name;
    std::function<Result<std::unique_ptr<Device>>(DriverSpec const&, DriverContext const&)> create;
};

template<typename Device>
Result<std::unique_ptr<Device>> make(std::string_view device_class, std::string const& text,
    DriverContext const& context, std::vector<Backend<Device>> const& backends)
{
    auto spec = parse_driver_spec(text);
    if (!spec)
        return std::unexpected(spec.error());
    std::string known;
    for (auto const& backend : backends) {
        if (backend.name == spec->backend)
            return backend.create(*spec, context);
        known += (known.empty() ? "" : ", ") + std::string(backend.name);
    }
    return make_error(ErrorCode::unknown_driver,
        "unknown " + std::string(device_class) + " driver '" + spec->backend + "' (known: " + known + ")");
}

template<typename Device>
std::vector<std::string> names(std::vector<Backend<Device>> const& backends)
{
    std::vector<std::string> result;
    for (auto const& backend : backends)
        result.emplace_back(backend.name);
    return result;
}

} // namespace kiosk::drivers::registry
