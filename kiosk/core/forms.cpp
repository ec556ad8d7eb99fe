// Loads and checks the forms index: known partners and events, and each form either written by the kiosk or a file.
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
    std::set<std::string> slugs;
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
        if (!slugs.insert(form.slug).second)
            return fail(table, "form '" + form.slug + "' is listed twice");
        for (auto [key, texts] : { std::pair { "title", &form.title }, std::pair { "short_title", &form.short_title } })
            if (auto const* table_of_texts = (*table)[key].as_table())
                for (auto const& [language, value] : *table_of_texts)
                    if (auto text = value.value_exact<std::string>())
                        (*texts)[std::string(language.str())] = *text;
        if (!form.title.contains("fr"))
            return fail(table, "form '" + form.slug + "' has no French title");
        for (auto const* list : { (*table)["partners"].as_array(), (*table)["events"].as_array() }) {
            if (!list)
                continue;
            bool partners = list == (*table)["partners"].as_array();
            for (auto const& item : *list) {
                auto slug = item.value_exact<std::string>();
                if (!slug || (partners ? !catalogue.partner(*slug) : !catalogue.event(*slug)))
                    return fail(&item,
                        "form '" + form.slug + "' names an unknown " + (partners ? "partner" : "event") + " '"
                            + slug.value_or("(not a string)") + "'");
                (partners ? form.partners : form.events).push_back(*slug);
            }
        }
        auto const* blocks_node = table->get("blocks");
        auto const* file_node = table->get("file");
        if (blocks_node && file_node)
            return fail(file_node, "form '" + form.slug + "' has both blocks and a file: it is one or the other");
        if (file_node) {
            auto name = file_node->value_exact<std::string>();
            if (!name || name->empty())
                return fail(file_node, "form '" + form.slug + "': file must be a file name");
            // A name, not a path: the index may only point into its own folder.
            if (name->find_first_of("/\\") != std::string::npos || name->find("..") != std::string::npos)
                return fail(file_node,
                    "form '" + form.slug + "': file '" + *name + "' must be a plain file name, without '/' or '..'");
            form.file = file.parent_path() / *name;
            forms.push_back(std::move(form));
            continue;
        }
        if (!blocks_node)
            return fail(table, "form '" + form.slug + "' has neither blocks nor a file");
        auto const* blocks = blocks_node->as_array();
        if (!blocks || blocks->empty())
            return fail(blocks_node, "form '" + form.slug + "': blocks must be a list of blocks, not empty");
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
