// Loads the translation tables (nested TOML tables flattened to dotted keys) and formats messages.
#include "kiosk/core/i18n.h"

#include <sstream>

#include "kiosk/core/toml_file.h"

namespace kiosk::core {

namespace {

Result<void> flatten(toml::table const& table, std::string const& prefix, std::filesystem::path const& file,
    std::map<std::string, std::string, std::less<>>& out)
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
    }
    auto reference = translations.m_texts.find("fr");
    if (reference == translations.m_texts.end())
        return make_error(ErrorCode::asset_missing, "French translation (fr) is required");
    for (auto const& [language, texts] : translations.m_texts) {
        for (auto const& [key, text] : reference->second) {
            if (!texts.contains(key))
                return make_error(ErrorCode::asset_missing,
                    (i18n_dir / (language + ".toml")).string() + ": key '" + key + "' is missing");
        }
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
