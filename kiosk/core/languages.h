// The languages a resident may choose, each named in its own words and script (issue 14): French first, then by how
// many residents of France Services offices speak them. A language is offered when its translation file is there.
#pragma once

#include <array>
#include <string_view>

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

} // namespace kiosk::core
