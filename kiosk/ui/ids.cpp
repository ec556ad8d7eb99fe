// The id registry behind `kiosk run --list-ids` and the checks of script files.
#include "kiosk/ui/ids.h"

#include "kiosk/ui/app.h"

#include <algorithm>

namespace kiosk::ui {

namespace {

std::vector<std::string> const& static_widgets()
{
    static std::vector<std::string> const ids = {
        "start",
        "lang_fr",
        "lang_en",
        "lang_ar",
        "lang_es",
        "lang_pt",
        "lang_tr",
        "lang_ro",
        "lang_uk",
        "language",
        "accept",
        "cancel_welcome",
        "go_home",
        "back",
        "end_session",
        "call_agent",
        "still_here",
        "close_overlay",
        "resume",
        "end_now",
        "open_site",
        "sim_download",
        "go_scan",
        "go_tray",
        "source_flatbed",
        "source_adf",
        "mode_color",
        "mode_gray",
        "mode_lineart",
        "scan_start",
        "scan_cancel",
        "print_doc",
        "delete_doc",
        "confirm_delete",
        "copies_minus",
        "copies_plus",
        "print_color",
        "print_gray",
        "duplex_on",
        "duplex_off",
        "print_start",
        "rename_doc",
        "rename_ok",
        "go_forms",
        "prepare_doc",
        "prep_pdf",
        "prep_jpeg",
        "limit_1",
        "limit_2",
        "limit_5",
        "limit_10",
        "prepare_start",
        "preview_prev",
        "preview_next",
        "scan_preview",
        "tray_prev",
        "tray_next",
        "pages_doc",
        "pages_prev",
        "pages_next",
        "pages_done",
        "confirm_delete_page",
        "agent",
        "pin_0",
        "pin_1",
        "pin_2",
        "pin_3",
        "pin_4",
        "pin_5",
        "pin_6",
        "pin_7",
        "pin_8",
        "pin_9",
        "pin_ok",
        "pin_clear",
        "extend_15",
        "quota_up",
        "lock",
        "back_in_service",
        "diag_network",
        "diag_test_print",
        "diag_test_scan",
        "diagnostics_prev",
        "diagnostics_next",
        "id_capture",
        "type_mrz",
        "kb_filler",
        "kb_newline",
        "upload_cancel",
        "site_problem_back",
        "upload_prev",
        "upload_next",
        "sim_file_input",
        "sim_text_field",
        "sim_email_field",
        "sim_number_field",
        "sim_password_field",
        "sim_blocked_link",
        "task_send",
        "go_sites",
        "go_events",
        "copy_start",
        "next_send",
        "next_print",
        "next_more",
        "a11y",
        "a11y_contrast",
        "a11y_large",
        "a11y_speech",
        "a11y_time",
        "forms_prev",
        "forms_next",
        "tiles_prev",
        "tiles_next",
        "event_prev",
        "event_next",
        "purposes_more",
    };
    return ids;
}

// Ids made of a prefix and a number: a tray document ("doc_3"), a page's place in its document ("page_later_2").
std::vector<std::string_view> const& numbered_prefixes()
{
    static std::vector<std::string_view> const prefixes
        = { "doc_", "page_earlier_", "page_later_", "page_delete_", "upload_doc_" };
    return prefixes;
}

} // namespace

std::vector<std::string> screen_ids()
{
    return { "attract", "welcome", "home", "sites", "events", "send", "event", "partner", "browser", "scan", "tray",
        "pages", "print", "forms", "prepare", "ending", "wiping", "rename", "agent_unlock", "assisted", "id_capture",
        "diagnostics", "out_of_order", "idle_warning", "agent_called", "message", "confirm_delete",
        "confirm_delete_page", "upload_picker", "site_problem", "accessibility", "language" };
}

std::vector<std::string> widget_ids(core::Catalogue const& catalogue)
{
    std::vector<std::string> ids = static_widgets();
    for (auto const& partner : catalogue.partners)
        ids.push_back("partner_" + partner.slug);
    for (auto const& event : catalogue.events)
        ids.push_back("event_" + event.slug);
    for (auto const& partner : catalogue.partners)
        ids.push_back("purpose_" + partner.slug);
    for (auto const& partner : catalogue.partners)
        ids.push_back("send_" + partner.slug);
    for (auto const& row : keyboard_rows())
        for (auto const& key : row)
            ids.push_back(key);
    for (auto const& key : WebKeyboard::all_key_ids())
        ids.push_back(key);
    ids.push_back("form_<slug>");
    for (auto prefix : numbered_prefixes())
        ids.push_back(std::string(prefix) + "<n>");
    return ids;
}

bool is_known_screen(std::string const& id)
{
    auto ids = screen_ids();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool is_known_widget(std::string const& id, core::Catalogue const& catalogue)
{
    for (std::string_view prefix : numbered_prefixes())
        if (id.starts_with(prefix) && id.size() > prefix.size()
            && std::all_of(id.begin() + static_cast<std::ptrdiff_t>(prefix.size()), id.end(),
                [](char c) { return c >= '0' && c <= '9'; }))
            return true;
    auto const& ids = static_widgets();
    if (std::find(ids.begin(), ids.end(), id) != ids.end())
        return true;
    for (auto const& row : keyboard_rows())
        if (std::find(row.begin(), row.end(), id) != row.end())
            return true;
    if (id.starts_with("wk_")) {
        static auto const web_keys = WebKeyboard::all_key_ids();
        return std::ranges::find(web_keys, id) != web_keys.end();
    }
    if (id.starts_with("partner_"))
        return catalogue.partner(id.substr(8)) != nullptr;
    if (id.starts_with("form_") && id.size() > 5 && std::all_of(id.begin() + 5, id.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }))
        return true;
    if (id.starts_with("purpose_"))
        return catalogue.partner(id.substr(8)) != nullptr;
    if (id.starts_with("send_"))
        return catalogue.partner(id.substr(5)) != nullptr;
    if (id.starts_with("event_"))
        return catalogue.event(id.substr(6)) != nullptr;
    return false;
}

} // namespace kiosk::ui
