// Turns toml++ parse exceptions into errors that name the file and the line.
#include "kiosk/core/toml_file.h"

#include <fstream>
#include <sstream>

namespace kiosk::core {

Result<toml::table> parse_toml(std::string_view text, std::string_view source_name)
{
    try {
        return toml::parse(text, source_name);
    } catch (toml::parse_error const& error) {
        std::ostringstream message;
        message << source_name << ':' << error.source().begin.line << ": " << error.description();
        return make_error(ErrorCode::config_invalid, message.str());
    }
}

std::unexpected<Error> toml_error(std::filesystem::path const& file, toml::node const* node, std::string const& message)
{
    std::ostringstream text;
    text << file.string();
    if (node && node->source().begin)
        text << ':' << node->source().begin.line;
    text << ": " << message;
    return make_error(ErrorCode::config_invalid, text.str());
}

Result<toml::table> parse_toml_file(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return make_error(ErrorCode::asset_missing, path.string() + ": cannot read the file");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_toml(text.str(), path.string());
}

} // namespace kiosk::core
