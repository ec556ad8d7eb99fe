// The catalogue of printable forms (assets/forms/index.toml): title, number, partners, life events, and either the
// text the kiosk writes or the official PDF file.
#pragma once

#include "kiosk/core/catalogue.h"
#include "kiosk/core/error.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::core {

struct FormBlock {
    std::string kind; // title, heading, paragraph, field, signature, small
    std::string text;
};

struct Form {
    std::string slug; // widget id form_<slug>
    std::string number; // "cerfa n° 16146*03", or "Modèle France Services" for the kiosk's own sheets
    LocalizedText title;
    // What a tile and the tray call it when the real title is too long for them (optional): the printed form keeps
    // its real title.
    LocalizedText short_title;
    std::vector<std::string> partners;
    std::vector<std::string> events;
    // A form is one of two things. Either the kiosk writes it from these blocks (French text, printed then filled in
    // by hand)...
    std::vector<FormBlock> blocks;
    // ...or it is an official PDF the content team or the fleet's configuration supplies, next to the index: this is
    // its full path. The file may be absent: the form still loads, and documents::form_available() says whether it
    // can be printed now.
    std::optional<std::filesystem::path> file;

    bool written_by_kiosk() const { return !file; }
};

// Partners and events named by a form must exist in the catalogue; a form has blocks or a file (a plain file name,
// resolved in the index's folder), not both. Errors name the file and line (ErrorCode::config_invalid).
Result<std::vector<Form>> load_forms(std::filesystem::path const& file, Catalogue const& catalogue);

} // namespace kiosk::core
