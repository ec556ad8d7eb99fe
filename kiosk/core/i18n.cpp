// Loads the translation tables (nested TOML tables flattened to dotted keys), checks each against French and its
// language's plural rules (ICU), and formats messages.
#include "kiosk/core/i18n.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <sstream>

#include <unicode/numberformatter.h>
#include <unicode/plurrule.h>

#include "kiosk/core/toml_file.h"

namespace kiosk::core {

struct PluralRules {
    std::unique_ptr<icu::PluralRules> rules;
    icu::number::LocalizedNumberFormatter format;
    std::set<std::string> categories;
};

namespace {

using TextMap = std::map<std::string, std::string, std::less<>>;

// Every category name ICU's plural rules can give (CLDR); a counted key's sub-keys are some of these.
std::set<std::string, std::less<>> const plural_keywords = { "zero", "one", "two", "few", "many", "other" };

Result<void> flatten(
    toml::table const& table, std::string const& prefix, std::filesystem::path const& file, TextMap& out)
{
    for (auto const& [key, node] : table) {
        std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (auto const* child = node.as_table()) {
            TRY(flatten(*child, name, file, out));
        } else if (auto text = node.value_exact<std::string>()) {
            out[name] = *text;
        } else {
            std::ostringstream message;
            message << file.string() << ':' << node.source().begin.line << ": key '" << name << "' must be a string";
            return make_error(ErrorCode::config_invalid, message.str());
        }
    }
    return {};
}

Result<std::shared_ptr<PluralRules const>> make_plural_rules(std::string const& language)
{
    auto plurals = std::make_shared<PluralRules>();
    UErrorCode status = U_ZERO_ERROR;
    plurals->rules.reset(icu::PluralRules::forLocale(icu::Locale(language.c_str()), status));
    if (U_FAILURE(status) || !plurals->rules)
        return make_error(
            ErrorCode::internal, "ICU has no plural rules for '" + language + "': " + u_errorName(status));
    std::unique_ptr<icu::StringEnumeration> keywords(plurals->rules->getKeywords(status));
    for (char const* keyword = nullptr; keywords && U_SUCCESS(status) && (keyword = keywords->next(nullptr, status));)
        plurals->categories.insert(keyword);
    if (U_FAILURE(status))
        return make_error(ErrorCode::internal, "ICU plural categories of '" + language + "': " + u_errorName(status));
    // ICU writes Arabic with Arabic-Indic digits (٠١٢), but residents from the Maghreb and the French forms beside the
    // kiosk use 0-9 (CLDR's own default for ar-MA, ar-DZ, ar-TN): Arabic counts are in Western digits.
    auto number_locale = language == "ar" ? icu::Locale("ar@numbers=latn") : icu::Locale(language.c_str());
    plurals->format = icu::number::NumberFormatter::withLocale(number_locale);
    return std::shared_ptr<PluralRules const>(std::move(plurals));
}

// The placeholders a text uses, as text() replaces them: "{0}" to "{9}".
std::set<std::string> placeholders(std::string_view text)
{
    std::set<std::string> found;
    for (size_t i = 0; i + 2 < text.size(); ++i)
        if (text[i] == '{' && text[i + 1] >= '0' && text[i + 1] <= '9' && text[i + 2] == '}')
            found.insert(std::string(text.substr(i, 3)));
    return found;
}

std::string joined(std::set<std::string> const& words)
{
    if (words.empty())
        return "none";
    std::string result;
    for (auto const& word : words)
        result += (result.empty() ? "" : " ") + word;
    return result;
}

std::pair<std::string_view, std::string_view> split_last(std::string_view key)
{
    auto dot = key.rfind('.');
    if (dot == std::string_view::npos)
        return { {}, key };
    return { key.substr(0, dot), key.substr(dot + 1) };
}

// The counted keys of French: tables whose every entry is a plural form, "other" and at least one more
// (site_problem.title has an "other" among non-plural names, so it is not one).
std::set<std::string, std::less<>> counted_keys(TextMap const& french)
{
    std::map<std::string, std::pair<size_t, bool>, std::less<>> children; // base → (plural forms, all plural)
    for (auto const& [key, text] : french) {
        auto [base, last] = split_last(key);
        if (base.empty())
            continue;
        auto& [forms, all_plural] = children.try_emplace(std::string(base), 0, true).first->second;
        if (plural_keywords.contains(last))
            ++forms;
        else
            all_plural = false;
    }
    std::set<std::string, std::less<>> counted;
    for (auto const& [base, info] : children)
        if (info.second && info.first >= 2 && french.contains(base + ".other"))
            counted.insert(base);
    return counted;
}

Result<void> check_against_french(std::filesystem::path const& file, std::string const& language, TextMap const& texts,
    TextMap const& french, std::set<std::string, std::less<>> const& counted, PluralRules const& plurals)
{
    auto fail = [&](std::string const& key, std::string const& what) {
        return make_error(ErrorCode::asset_missing, file.string() + ": key '" + key + "' " + what);
    };
    auto is_plural_form = [&](std::string_view key) {
        auto [base, last] = split_last(key);
        return counted.contains(base) && plural_keywords.contains(last);
    };
    for (auto const& [key, reference] : french) {
        if (is_plural_form(key))
            continue;
        auto it = texts.find(key);
        if (it == texts.end())
            return fail(key, "is missing");
        auto expected = placeholders(reference);
        auto found = placeholders(it->second);
        if (found != expected)
            return fail(key, "has the placeholders " + joined(found) + " where French has " + joined(expected));
    }
    for (auto const& [key, text] : texts) {
        if (!french.contains(key) && !is_plural_form(key))
            return fail(key, "is not in French (fr.toml): a misspelt or left-over key");
    }
    for (auto const& base : counted) {
        std::set<std::string> forms;
        for (auto const& keyword : plural_keywords)
            if (texts.contains(base + "." + keyword))
                forms.insert(keyword);
        if (forms != plurals.categories) {
            std::set<std::string> missing, extra;
            std::ranges::set_difference(plurals.categories, forms, std::inserter(missing, missing.end()));
            std::ranges::set_difference(forms, plurals.categories, std::inserter(extra, extra.end()));
            std::string what
                = "must have exactly the plural forms " + joined(plurals.categories) + " (ICU, " + language + ")";
            if (!missing.empty())
                what += "; missing: " + joined(missing);
            if (!extra.empty())
                what += "; not a plural form of " + language + ": " + joined(extra);
            return fail(base, what);
        }
        auto expected = placeholders(french.at(base + ".other"));
        for (auto const& form : forms) {
            auto found = placeholders(texts.at(base + "." + form));
            if (found != expected)
                return fail(base + "." + form,
                    "has the placeholders " + joined(found) + " where French has " + joined(expected));
        }
    }
    return {};
}

std::string to_utf8(icu::UnicodeString const& text)
{
    std::string result;
    text.toUTF8String(result);
    return result;
}

} // namespace

Result<Translations> Translations::load(
    std::filesystem::path const& i18n_dir, std::vector<std::string> const& languages)
{
    Translations translations;
    for (auto const& language : languages) {
        auto file = i18n_dir / (language + ".toml");
        toml::table const table = TRY(parse_toml_file(file));
        auto& texts = translations.m_texts[language];
        TRY(flatten(table, "", file, texts));
        translations.m_plurals[language] = TRY(make_plural_rules(language));
    }
    auto reference = translations.m_texts.find("fr");
    if (reference == translations.m_texts.end())
        return make_error(ErrorCode::asset_missing, "French translation (fr) is required");
    auto const counted = counted_keys(reference->second);
    for (auto const& language : languages) {
        TRY(check_against_french(i18n_dir / (language + ".toml"), language, translations.m_texts.at(language),
            reference->second, counted, *translations.m_plurals.at(language)));
    }
    return translations;
}

std::string Translations::text(
    std::string_view language, std::string_view key, std::vector<std::string> const& args) const
{
    std::string const* found = nullptr;
    if (auto texts = m_texts.find(language); texts != m_texts.end())
        if (auto it = texts->second.find(key); it != texts->second.end())
            found = &it->second;
    if (!found)
        if (auto texts = m_texts.find("fr"); texts != m_texts.end())
            if (auto it = texts->second.find(key); it != texts->second.end())
                found = &it->second;
    if (!found)
        return std::string(key);
    std::string result;
    for (size_t i = 0; i < found->size(); ++i) {
        char c = (*found)[i];
        if (c == '{' && i + 2 < found->size() && (*found)[i + 2] == '}' && (*found)[i + 1] >= '0'
            && (*found)[i + 1] <= '9') {
            size_t index = static_cast<size_t>((*found)[i + 1] - '0');
            if (index < args.size())
                result += args[index];
            i += 2;
            continue;
        }
        result.push_back(c);
    }
    return result;
}

namespace {

// The rules of language, or French's when language was not loaded (text() falls back to French too).
PluralRules const* rules_of(
    std::map<std::string, std::shared_ptr<PluralRules const>, std::less<>> const& all, std::string_view language)
{
    if (auto it = all.find(language); it != all.end())
        return it->second.get();
    if (auto it = all.find("fr"); it != all.end())
        return it->second.get();
    return nullptr;
}

} // namespace

std::string Translations::plural_category(std::string_view language, std::int64_t count) const
{
    auto const* plurals = rules_of(m_plurals, language);
    if (!plurals)
        return "other";
    UErrorCode status = U_ZERO_ERROR;
    auto formatted = plurals->format.formatInt(count, status);
    // Selecting on the formatted number gives the category of what the person reads, as ICU recommends.
    auto category = plurals->rules->select(formatted, status);
    return U_SUCCESS(status) ? to_utf8(category) : "other";
}

std::string Translations::format_count(std::string_view language, std::int64_t count) const
{
    auto const* plurals = rules_of(m_plurals, language);
    if (!plurals)
        return std::to_string(count);
    UErrorCode status = U_ZERO_ERROR;
    auto text = plurals->format.formatInt(count, status).toString(status);
    return U_SUCCESS(status) ? to_utf8(text) : std::to_string(count);
}

std::string Translations::count_text(std::string_view language, std::string_view base_key, std::int64_t count,
    std::vector<std::string> const& args) const
{
    // A language that was not loaded is French throughout, its rules as its text.
    if (!m_texts.contains(language))
        language = "fr";
    std::string key = std::string(base_key) + "." + plural_category(language, count);
    if (!has(language, key))
        key = std::string(base_key) + ".other";
    std::vector<std::string> all_args { format_count(language, count) };
    all_args.insert(all_args.end(), args.begin(), args.end());
    return text(language, key, all_args);
}

bool Translations::has(std::string_view language, std::string_view key) const
{
    auto texts = m_texts.find(language);
    return texts != m_texts.end() && texts->second.find(key) != texts->second.end();
}

std::vector<std::string> Translations::languages() const
{
    std::vector<std::string> result;
    for (auto const& [language, texts] : m_texts)
        result.push_back(language);
    return result;
}

} // namespace kiosk::core
