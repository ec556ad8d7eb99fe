// Interface text in each language, from assets/i18n/<language>.toml; French is the reference.
#pragma once

#include "kiosk/core/error.h"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

class Translations {
public:
    // Loads every language listed; each must define every key French defines (an incomplete translation
    // is an asset error, found at start-up rather than as a blank button).
    static Result<Translations> load(std::filesystem::path const& i18n_dir, std::vector<std::string> const& languages);

    // The text of key in language; "{0}", "{1}" are replaced by args. An unknown key returns the key, so a
    // mistake shows up on screen and in tests instead of crashing.
    std::string text(std::string_view language, std::string_view key, std::vector<std::string> const& args = {}) const;
    bool has(std::string_view language, std::string_view key) const;
    std::vector<std::string> languages() const;

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_texts;
};

} // namespace kiosk::core
