// TOML parsing behind Result: toml++ reports errors by exception, which must not leave this file.
#pragma once

#include "kiosk/core/error.h"

#include <filesystem>
#include <string_view>
#include <toml++/toml.h>

namespace kiosk::core {

// Errors read "SOURCE:LINE: description" (ErrorCode::config_invalid).
Result<toml::table> parse_toml(std::string_view text, std::string_view source_name);
// ErrorCode::asset_missing when the file does not exist or cannot be read.
Result<toml::table> parse_toml_file(std::filesystem::path const& path);

// An ErrorCode::config_invalid error reading "FILE:LINE: message", the line being where node starts.
std::unexpected<Error> toml_error(
    std::filesystem::path const& file, toml::node const* node, std::string const& message);

} // namespace kiosk::core
