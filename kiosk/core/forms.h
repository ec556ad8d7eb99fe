// The catalogue of printable forms (assets/forms/index.toml): title, partners, life events, text.
#pragma once

#include "kiosk/core/catalogue.h"
#include "kiosk/core/error.h"

#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::core {

struct FormBlock {
    std::string kind; // title, heading, paragraph, field, signature, small
    std::string text;
};

struct Form {
    std::string slug; // widget id form_<slug>
    std::string number;
    LocalizedText title;
    std::vector<std::string> partners;
    std::vector<std::string> events;
    std::vector<FormBlock> blocks;
};

// Partners and events named by a form must exist in the catalogue; errors name the file and line.
Result<std::vector<Form>> load_forms(std::filesystem::path const& file, Catalogue const& catalogue);

} // namespace kiosk::core
