// The text screen and its on-screen keyboard: a document's new name, or an MRZ typed by an agent.
#include "kiosk/ui/app.h"

#include <openssl/crypto.h>

namespace kiosk::ui {

bool App::on_rename_widget(std::string const& id)
{
    if (id == "kb_filler" && m_text_screen.entering_mrz) {
        m_text_screen.text += "<";
        limit_rename_text();
    } else if (id == "kb_newline" && m_text_screen.entering_mrz) {
        m_text_screen.text += "\n";
        limit_rename_text();
    } else if (id == "rename_ok") {
        finish_rename();
    } else if (id == "kb_backspace") {
        erase_last_character();
    } else if (id == "kb_clear") {
        m_text_screen.text.clear();
        m_text_screen.shift = true;
    } else if (id == "kb_shift") {
        m_text_screen.shift = !m_text_screen.shift;
    } else if (id == "kb_layer") {
        m_text_screen.digits = !m_text_screen.digits;
    } else if (id.starts_with("kb_")) {
        if (auto text = keyboard_text(id, m_text_screen.shift || m_text_screen.entering_mrz)) {
            m_text_screen.text += *text;
            limit_rename_text();
            m_text_screen.shift = false;
        }
    } else {
        return false;
    }
    return true;
}

void App::draw_rename()
{
    auto& c = *m_canvas;
    draw_top_bar(tr(m_text_screen.entering_mrz ? "id_capture.type_title" : "rename.title"));
    Rect area = content_area();
    int gap = c.px(14);
    auto const& rows = keyboard_rows();
    int top = area.y + c.px(150);
    int row_h = (area.y + area.h - top - gap * static_cast<int>(rows.size() - 1)) / static_cast<int>(rows.size());
    int key_w = (area.w - gap * 10) / 11;
    // Where the whole keyboard's keys would be smaller than a finger (large text), a short keyboard takes its
    // place: three rows of twelve keys, the digits and signs on a second layer, Erase and Clear beside the field.
    bool whole = row_h >= c.px(theme::min_target) && key_w >= c.px(theme::min_target);
    int small_gap = c.px(4); // twelve keys of a finger's width fit 1200 design pixels only this close together
    int field_h = whole ? c.px(120) : c.px(theme::min_target);
    int ok_w = whole ? c.px(420) : c.px(350); // room for "Підтвердити" beside the tick
    int clear_w = c.px(220);
    int erase_w = c.px(theme::min_target);
    int beside = whole ? c.px(440) : ok_w + clear_w + erase_w + 3 * c.px(10);

    // The field: what is typed, with a caret, large enough to check every letter.
    Rect field { area.x, area.y, area.w - beside, field_h };
    c.fill_rounded(field, c.px(10), theme::blue_france);
    c.fill_rounded(
        { field.x + c.px(4), field.y + c.px(4), field.w - c.px(8), field.h - c.px(8) }, c.px(8), theme::white);
    std::string shown = m_text_screen.text;
    for (size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at))
        shown.replace(at, 1, " ⏎ ");
    // An MRZ is longer than the field: the end, where the agent is typing, is what must show.
    size_t shown_max = whole ? 56 : 24;
    if (m_text_screen.entering_mrz && shown.size() > shown_max) {
        size_t from = shown.size() - shown_max;
        while (from < shown.size() && (static_cast<unsigned char>(shown[from]) & 0xC0) == 0x80)
            ++from; // never start inside a multi-byte character
        shown = "…" + shown.substr(from);
    }
    // A short field takes a long name on two lines.
    c.text(shown + "|", { field.x + c.px(30), field.y, field.w - c.px(60), field.h }, theme::text_title, theme::text,
        Align::left, false, !whole);
    c.action("rename_ok", { area.x + area.w - ok_w, area.y, ok_w, field_h }, Icon::check, tr("rename.ok"),
        ButtonStyle::primary,
        !m_text_screen.text.empty() && m_text_screen.text.find_first_not_of(' ') != std::string::npos);

    // The label of a key, and the id it answers to: typing an MRZ needs the filler and line breaks more than the
    // dash and the apostrophe.
    auto key = [&](std::string const& id, Rect rect) {
        std::string key_id = id;
        std::string label;
        ButtonStyle style = ButtonStyle::secondary;
        if (m_text_screen.entering_mrz && id == "kb_dash") {
            key_id = "kb_filler";
            label = "<";
        } else if (m_text_screen.entering_mrz && id == "kb_apostrophe") {
            key_id = "kb_newline";
            label = "⏎";
        } else if (id == "kb_backspace") {
            label = "⌫";
        } else if (id == "kb_shift") {
            label = "⇧";
            style = m_text_screen.shift ? ButtonStyle::selected : ButtonStyle::secondary;
        } else if (id == "kb_clear") {
            label = tr("rename.clear");
        } else if (id == "kb_space") {
            label = tr("rename.space");
        } else if (id == "kb_layer") {
            label = m_text_screen.digits ? "abc" : "123";
        } else {
            label = keyboard_text(id, m_text_screen.shift || m_text_screen.entering_mrz).value_or("");
        }
        c.button(key_id, rect, label, style);
    };

    if (whole) {
        for (size_t r = 0; r < rows.size(); ++r) {
            int y = top + static_cast<int>(r) * (row_h + gap);
            int x = area.x;
            for (auto const& id : rows[r]) {
                if (id == "kb_layer")
                    continue; // every key has its place on the whole keyboard: no second layer
                int w = key_w;
                if (id == "kb_clear")
                    w = key_w * 3 + gap * 2;
                else if (id == "kb_space")
                    w = area.w - (key_w * 3 + gap * 2) - gap;
                key(id, { x, y, w, row_h });
                x += w + gap;
            }
        }
        return;
    }

    key("kb_backspace", { field.x + field.w + c.px(10), area.y, erase_w, field_h });
    key("kb_clear", { field.x + field.w + erase_w + 2 * c.px(10), area.y, clear_w, field_h });
    // Twelve columns; a key id followed by how many columns it takes.
    using Row = std::vector<std::pair<char const*, int>>;
    static std::vector<Row> const letters = {
        { { "kb_a", 1 }, { "kb_z", 1 }, { "kb_e", 1 }, { "kb_r", 1 }, { "kb_t", 1 }, { "kb_y", 1 }, { "kb_u", 1 },
            { "kb_i", 1 }, { "kb_o", 1 }, { "kb_p", 1 }, { "kb_eacute", 1 }, { "kb_egrave", 1 } },
        { { "kb_q", 1 }, { "kb_s", 1 }, { "kb_d", 1 }, { "kb_f", 1 }, { "kb_g", 1 }, { "kb_h", 1 }, { "kb_j", 1 },
            { "kb_k", 1 }, { "kb_l", 1 }, { "kb_m", 1 }, { "kb_ccedil", 1 }, { "kb_agrave", 1 } },
        { { "kb_shift", 2 }, { "kb_w", 1 }, { "kb_x", 1 }, { "kb_c", 1 }, { "kb_v", 1 }, { "kb_b", 1 }, { "kb_n", 1 },
            { "kb_layer", 2 }, { "kb_space", 2 } },
    };
    static std::vector<Row> const digits = {
        { { "kb_1", 1 }, { "kb_2", 1 }, { "kb_3", 1 }, { "kb_4", 1 }, { "kb_5", 1 }, { "kb_6", 1 }, { "kb_7", 1 },
            { "kb_8", 1 }, { "kb_9", 1 }, { "kb_0", 1 }, { "kb_dash", 1 }, { "kb_apostrophe", 1 } },
        {}, { { "kb_shift", 2 }, { "", 6 }, { "kb_layer", 2 }, { "kb_space", 2 } }, // the layer key keeps its place
    };
    auto const& layer = m_text_screen.digits ? digits : letters;
    int columns = 12;
    int cell_w = (area.w - small_gap * (columns - 1)) / columns;
    int keys_top = area.y + field_h + c.px(10);
    int n_rows = static_cast<int>(layer.size());
    int cell_h = std::min(c.px(140), (area.y + area.h - keys_top - c.px(8) * (n_rows - 1)) / n_rows);
    for (int r = 0; r < n_rows; ++r) {
        int column = 0;
        int y = keys_top + r * (cell_h + c.px(8));
        for (auto const& [id, span] : layer[static_cast<size_t>(r)]) {
            int x = area.x + column * (cell_w + small_gap);
            // The last key of a row ends at the keyboard's right edge, whatever the rounding.
            int w = column + span == columns ? area.x + area.w - x : span * cell_w + (span - 1) * small_gap;
            if (*id)
                key(id, { x, y, w, cell_h });
            column += span;
        }
    }
}

void App::limit_rename_text()
{
    if (m_text_screen.entering_mrz) {
        // Three lines of 30 or two of 44, with line breaks and some slack for typing mistakes.
        if (m_text_screen.text.size() > 160)
            m_text_screen.text.resize(160);
        return;
    }
    cut_to_document_name(m_text_screen.text);
}

void App::cut_to_document_name(std::string& text)
{
    size_t code_points = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++code_points > max_document_name) {
            text.resize(i);
            break;
        }
    }
}

void App::erase_last_character()
{
    while (!m_text_screen.text.empty()) {
        bool continuation = (static_cast<unsigned char>(m_text_screen.text.back()) & 0xC0) == 0x80;
        m_text_screen.text.pop_back();
        if (!continuation)
            break;
    }
}

void App::finish_mrz_entry()
{
    auto document = drivers::mrz::parse_text(m_text_screen.text, today());
    if (!document) {
        // A single line starting with D is a driving licence typed short or long: say how long it must be and
        // how long it is. Anything else gets the general advice.
        std::vector<size_t> lengths;
        size_t length = 0;
        char first = 0;
        // Counted in place: a copy of what was typed would outlive the wipe of m_text_screen.text.
        for (size_t i = 0; i <= m_text_screen.text.size(); ++i) {
            char c = i < m_text_screen.text.size() ? m_text_screen.text[i] : '\n';
            if (c == '\n' || c == '\r') {
                if (length)
                    lengths.push_back(length);
                length = 0;
            } else if (c != ' ' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
                if (lengths.empty() && length == 0)
                    first = c;
                ++length;
            }
        }
        if (lengths.size() == 1 && (first == 'D' || first == 'd'))
            show_message("message.problem", tr("id_capture.not_mrz_one_line", { std::to_string(lengths[0]) }));
        else
            show_message("message.problem", tr("id_capture.not_mrz"));
        return;
    }
    m_audit.record("identity_document_typed",
        { { "format", drivers::mrz::to_string(document->format) }, { "valid", document->valid } });
    m_assisted.id_document = std::move(*document);
    m_assisted.watermark_result.clear();
    OPENSSL_cleanse(m_text_screen.text.data(), m_text_screen.text.size());
    m_text_screen.text.clear();
    m_text_screen.entering_mrz = false;
    m_text_screen.digits = false;
    back();
}

void App::finish_rename()
{
    if (m_text_screen.entering_mrz) {
        finish_mrz_entry();
        return;
    }
    auto first = m_text_screen.text.find_first_not_of(' ');
    auto last = m_text_screen.text.find_last_not_of(' ');
    std::string name = first == std::string::npos ? std::string() : m_text_screen.text.substr(first, last - first + 1);
    if (!name.empty() && m_store.rename(m_selected, name))
        m_audit.record("document_renamed");
    m_text_screen.text.clear();
    m_text_screen.digits = false;
    back();
}

std::vector<std::vector<std::string>> const& keyboard_rows()
{
    static std::vector<std::vector<std::string>> const rows = {
        { "kb_1", "kb_2", "kb_3", "kb_4", "kb_5", "kb_6", "kb_7", "kb_8", "kb_9", "kb_0", "kb_backspace" },
        { "kb_a", "kb_z", "kb_e", "kb_r", "kb_t", "kb_y", "kb_u", "kb_i", "kb_o", "kb_p", "kb_eacute" },
        { "kb_q", "kb_s", "kb_d", "kb_f", "kb_g", "kb_h", "kb_j", "kb_k", "kb_l", "kb_m", "kb_egrave" },
        { "kb_shift", "kb_w", "kb_x", "kb_c", "kb_v", "kb_b", "kb_n", "kb_ccedil", "kb_agrave", "kb_dash",
            "kb_apostrophe" },
        { "kb_clear", "kb_space", "kb_layer" }, // the layer switch shows on the short keyboard only
    };
    return rows;
}

std::optional<std::string> keyboard_text(std::string_view id, bool shift)
{
    if (!id.starts_with("kb_"))
        return std::nullopt;
    auto key = id.substr(3);
    if (key.size() == 1 && key[0] >= 'a' && key[0] <= 'z')
        return std::string(1, shift ? static_cast<char>(key[0] - 'a' + 'A') : key[0]);
    if (key.size() == 1 && key[0] >= '0' && key[0] <= '9')
        return std::string(key);
    static std::pair<std::string_view, std::pair<char const*, char const*>> const specials[] = {
        { "eacute", { "é", "É" } },
        { "egrave", { "è", "È" } },
        { "agrave", { "à", "À" } },
        { "ccedil", { "ç", "Ç" } },
        { "dash", { "-", "-" } },
        { "apostrophe", { "'", "'" } },
        { "space", { " ", " " } },
    };
    for (auto const& [name, text] : specials)
        if (name == key)
            return std::string(shift ? text.second : text.first);
    return std::nullopt;
}

} // namespace kiosk::ui
