// Interface text in each language, from assets/i18n/<language>.toml; French is the reference.
#pragma once

#include "kiosk/core/error.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

// A language's ICU plural rules and number format, kept behind this name so ICU stays inside i18n.cpp.
struct PluralRules;

class Translations {
public:
    // Loads every language listed; French (fr) must be among them, as the reference. A file is refused (an asset
    // error naming the file and the key, found at start-up rather than as a blank button) when it lacks a key
    // French has, has a key French lacks, uses other {0} {1} placeholders than French, or gives a counted key
    // (a table of plural forms, "one" and "other" in French) other forms than its language's ICU categories.
    static Result<Translations> load(std::filesystem::path const& i18n_dir, std::vector<std::string> const& languages);

    // The text of key in language; "{0}", "{1}" are replaced by args. An unknown key returns the key, so a
    // mistake shows up on screen and in tests instead of crashing.
    std::string text(std::string_view language, std::string_view key, std::vector<std::string> const& args = {}) const;

    // The text of a counted key (base_key.one, base_key.few, ...) for count, by the language's plural rules (ICU):
    // "{0}" is the count in the language's digits, "{1}", "{2}"... are args. A form the file lacks falls back to
    // base_key.other.
    std::string count_text(std::string_view language, std::string_view base_key, std::int64_t count,
        std::vector<std::string> const& args = {}) const;
    // ICU's plural category of count in language: "zero", "one", "two", "few", "many" or "other".
    std::string plural_category(std::string_view language, std::int64_t count) const;
    // count as the language writes it (its digits and grouping); Arabic in Western digits 0-9, as on French forms.
    std::string format_count(std::string_view language, std::int64_t count) const;

    bool has(std::string_view language, std::string_view key) const;
    std::vector<std::string> languages() const;

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_texts;
    std::map<std::string, std::shared_ptr<PluralRules const>, std::less<>> m_plurals;
};

} // namespace kiosk::core
