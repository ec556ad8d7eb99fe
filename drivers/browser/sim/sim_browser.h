// A simulated browser: remembers which partner is "open", and plays a partner page's part on command (a file
// asked for, a field focused, a download, a crash) so tests and the UI can exercise the whole interface.
#pragma once

#include "drivers/browser/browser.h"
#include "drivers/driver_spec.h"

#include <memory>
#include <optional>

namespace kiosk::drivers {

// Parameters: fail=1 makes open() fail as a missing browser would.
class SimBrowser final : public Browser {
public:
    static Result<std::unique_ptr<Browser>> create(DriverSpec const& spec);

    std::string name() const override { return "sim"; }
    void set_listener(Listener listener) override;
    Result<void> open(BrowseRequest const& request) override;
    void close() override;
    bool is_open() const override { return m_open.has_value(); }
    bool take_unexpected_exit() override;
    Result<void> provide_files(uint64_t request_id, std::vector<UploadFile> const& files) override;
    void cancel_file_request(uint64_t request_id) override;
    Result<void> insert_text(std::string_view utf8) override;
    Result<void> press_key(EditKey key) override;
    Result<bool> go_back() override;
    Result<void> set_area(ScreenArea area) override;

    std::optional<BrowseRequest> const& current() const { return m_open; }
    // What a partner site's "download your attestation" link does: a file in the downloads folder.
    Result<std::filesystem::path> simulate_download(std::string const& file_name, std::vector<uint8_t> const& bytes);
    void simulate_crash();
    // The page asks for a file (the resident tapped its input): a file_requested event; returns its id.
    Result<uint64_t> simulate_file_request(bool multiple, std::vector<std::string> accept);
    // A field of the page gets the focus (a kind) or loses it (nothing): the matching event.
    void simulate_focus(std::optional<TextFieldKind> field);
    // The page follows a link: one more entry in the history go_back() walks.
    void simulate_navigation(std::string const& url);
    // The page, or a frame in it, could not be shown: a page_failed event. A whole page that failed is a new entry
    // in the history, as Chromium's error page is, unless it is the visit's start page (first_page).
    void simulate_page_failure(
        PageFailure failure, std::string const& host, bool whole_page = true, bool first_page = false);

    // What the page received: the field's text as typed (backspace applied), the files given to its input (their
    // paths in the uploads folder), the page's address and the area it is shown in.
    std::string const& field_text() const { return m_field_text; }
    std::vector<std::filesystem::path> const& given_files() const { return m_given; }
    std::string const& page_url() const { return m_history.at(m_history_index); }
    std::optional<ScreenArea> const& area() const { return m_area; }

private:
    void enter_page(std::string const& url);

    bool m_fail = false;
    bool m_crashed = false;
    std::optional<BrowseRequest> m_open;
    BrowserListenerSlot m_listener;
    std::optional<FileRequest> m_pending_file;
    uint64_t m_next_request = 1;
    std::optional<TextFieldKind> m_focused;
    std::string m_field_text;
    std::vector<std::filesystem::path> m_given;
    std::vector<std::string> m_history { "" };
    size_t m_history_index = 0;
    std::optional<ScreenArea> m_area;
};

} // namespace kiosk::drivers
