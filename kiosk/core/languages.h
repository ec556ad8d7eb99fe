// The languages a resident may choose, each named in its own words and script (issue 14): French first, then by how
// many residents of France Services offices speak them. A language is offered when its translation file is there.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

struct Language {
    std::string_view code; // the translation file's name, the `lang_<code>` button, Chromium's --lang
    std::string_view own_name;
    bool right_to_left = false;
};

inline constexpr std::array<Language, 8> languages { {
    { "fr", "Français" },
    { "en", "English" },
    { "ar", "العربية", true },
    { "es", "Español" },
    { "pt", "Português" },
    { "tr", "Türkçe" },
    { "ro", "Română" },
    { "uk", "Українська" },
} };

inline Language const* find_language(std::string_view code)
{
    for (auto const& language : languages)
        if (language.code == code)
            return &language;
    return nullptr;
}

// The languages offered with the translations in i18n_dir: French, the reference, always; every other one whose file is
// there. The kiosk and a fleet bundle's check load the same list.
inline std::vector<std::string> offered_languages(std::filesystem::path const& i18n_dir)
{
    std::vector<std::string> offered;
    std::error_code ignored;
    for (auto const& language : languages)
        if (language.code == "fr"
            || std::filesystem::exists(i18n_dir / (std::string(language.code) + ".toml"), ignored))
            offered.emplace_back(language.code);
    return offered;
}

} // namespace kiosk::core
