// Loads and checks the forms index.
#include "kiosk/core/forms.h"

#include "kiosk/core/toml_file.h"

#include <set>
#include <sstream>

namespace kiosk::core {

Result<std::vector<Form>> load_forms(std::filesystem::path const& file, Catalogue const& catalogue)
{
    toml::table const root = TRY(parse_toml_file(file));
    auto fail = [&](toml::node const* node, std::string const& message) { return toml_error(file, node, message); };
    static std::set<std::string> const kinds { "title", "heading", "paragraph", "field", "signature", "small" };
    std::vector<Form> forms;
    auto const* entries = root["form"].as_array();
    if (!entries)
        return forms;
    for (auto const& node : *entries) {
        auto const* table = node.as_table();
        if (!table)
            return fail(&node, "[[form]] must be a table");
        Form form;
        form.slug = (*table)["slug"].value_or(std::string());
        form.number = (*table)["number"].value_or(std::string());
        if (form.slug.empty())
            return fail(table, "a form needs a slug");
        if (auto const* title = (*table)["title"].as_table()) {
            for (auto const& [language, value] : *title)
                if (auto text = value.value_exact<std::string>())
                    form.title[std::string(language.str())] = *text;
        }
        if (!form.title.contains("fr"))
            return fail(table, "form '" + form.slug + "' has no French title");
        for (auto const* list : { (*table)["partners"].as_array(), (*table)["events"].as_array() }) {
            if (!list)
                continue;
            bool partners = list == (*table)["partners"].as_array();
            for (auto const& item : *list) {
                auto slug = item.value_exact<std::string>();
                if (!slug || (partners ? !catalogue.partner(*slug) : !catalogue.event(*slug)))
                    return fail(&item, "form '" + form.slug + "' names an unknown " + (partners ? "partner" : "event"));
                (partners ? form.partners : form.events).push_back(*slug);
            }
        }
        auto const* blocks = (*table)["blocks"].as_array();
        if (!blocks || blocks->empty())
            return fail(table, "form '" + form.slug + "' has no text");
        for (auto const& item : *blocks) {
            auto const* block = item.as_table();
            auto kind = block ? (*block)["kind"].value_exact<std::string>() : std::nullopt;
            auto text = block ? (*block)["text"].value_exact<std::string>() : std::nullopt;
            if (!kind || !text || !kinds.contains(*kind))
                return fail(&item, "form '" + form.slug + "': a block needs a known kind and a text");
            form.blocks.push_back({ *kind, *text });
        }
        forms.push_back(std::move(form));
    }
    return forms;
}

} // namespace kiosk::core
