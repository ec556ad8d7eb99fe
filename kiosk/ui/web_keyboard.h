// The on-screen keyboard over a partner site: the keys laid out for the kind of field that has the focus, and what
// each key does for the page. It never holds what was typed: the characters go straight to the page.
#pragma once

#include "drivers/browser/browser.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

class WebKeyboard {
public:
    enum class Layout { letters, symbols, digits };

    struct Key {
        std::string id; // widget id: "wk_a", "wk_backspace"
        std::string label; // what the key shows, when label_key is empty
        std::string label_key; // a translation key for keys that carry a word ("web_keyboard.hide")
        int width = 2; // in half-key units, so a row can mix narrow and wide keys
    };

    // What a key does for the page: characters to type, an editing key, or hiding the keyboard. A key that only
    // changes the layout (shift, more symbols) does nothing for the page.
    struct Action {
        std::string text;
        std::optional<drivers::EditKey> key;
        bool hide = false;
    };

    void show(drivers::TextFieldKind field);
    void hide() { m_visible = false; }
    bool visible() const { return m_visible; }
    drivers::TextFieldKind field() const { return m_field; }
    Layout layout() const { return m_layout; }
    bool shifted() const { return m_shift; }

    std::vector<std::vector<Key>> rows() const;
    // nullopt when id is not a key of this keyboard.
    std::optional<Action> press(std::string_view id);

    // Every key id of every layout, for the registry of ids scripts may name.
    static std::vector<std::string> all_key_ids();

private:
    bool m_visible = false;
    drivers::TextFieldKind m_field = drivers::TextFieldKind::text;
    Layout m_layout = Layout::letters;
    bool m_shift = false;
};

} // namespace kiosk::ui
