// The browser interface: show one partner site inside the session, keep it on the allow-list, let a touch-only
// resident type and upload through the kiosk's own screens, close it.
#pragma once

#include "kiosk/core/error.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers {

// A rectangle of the screen, in pixels, the way X11 geometry writes it (WxH+X+Y).
struct ScreenArea {
    int width = 0, height = 0, x = 0, y = 0;
};

struct BrowseRequest {
    std::string partner_slug;
    std::string url;
    std::vector<std::string> allowed_domains;
    std::filesystem::path profile_dir; // inside the session storage; deleted with it
    std::filesystem::path downloads_dir; // inside the session storage; imported into the tray
    // Where the page goes: the kiosk's screen minus its own bars, so time left, Home, Call an agent and
    // End session stay in sight and in reach. Absent: the backend's own choice.
    std::optional<ScreenArea> area;
    // The resident's language ("fr", "en"): the browser's own pages and the Accept-Language sites see.
    std::string language = "fr";
    // Inside the session storage: where files handed to a page (provide_files) are put. The browser sees this
    // folder, its profile and its downloads, and nothing else of the machine's writable places. Empty: no uploads.
    std::filesystem::path uploads_dir;
};

// The kind of text field that has the focus, so the on-screen keyboard can offer the right layout.
enum class TextFieldKind { text, email, number, telephone, url, password, search, multiline };
std::string_view to_string(TextFieldKind kind);

// A page asked for a file (the resident tapped an <input type=file>).
struct FileRequest {
    uint64_t id = 0; // answered by provide_files(id, ...) or cancel_file_request(id)
    bool multiple = false; // <input multiple>: more than one file may be given
    // The input's accept attribute as lower-case tokens (".pdf", "image/jpeg", "image/*"); empty: anything.
    std::vector<std::string> accept;
};

// Why a page, or a frame in it, could not be shown. Chromium's own error page says it in technical words; the
// kiosk says it in the resident's.
enum class PageFailure {
    blocked, // the address is outside the visit's allow-list (a link, a redirect, a frame)
    unreachable, // the site does not answer: down, unknown name, connection cut, no network
    insecure, // the site's certificate or TLS is wrong: never passed
    redirect_loop, // the site sends the browser round in circles
    other, // any other network error
};
std::string_view to_string(PageFailure failure);
// The failure behind one of Chromium's net error names ("net::ERR_BLOCKED_BY_ADMINISTRATOR"), or nothing when it is
// not one the resident should hear about (ERR_ABORTED: a navigation replaced by another, or a download).
std::optional<PageFailure> page_failure_of(std::string_view net_error);

struct BrowserEvent {
    enum class Kind {
        file_requested, // file_request says what the page asked for: show the kiosk's document picker
        text_field_focused, // field says which: show the on-screen keyboard
        text_field_left, // no text field has the focus any more: hide the keyboard
        page_failed, // failure, failed_host and whole_page say what could not be shown
        page_shown, // a page of the window was shown: an earlier failure is behind the resident
        exited_unexpectedly // the browser went away without close() (a crash, its window closed)
    };
    Kind kind = Kind::text_field_left;
    FileRequest file_request;
    TextFieldKind field = TextFieldKind::text;
    PageFailure failure = PageFailure::other;
    std::string failed_host; // the host only, never the address: it may carry what the resident typed
    bool whole_page = true; // false: a frame inside the page (the rest of the page is shown)
};

// One file given to a page: a file of the session, and the name the site sees.
struct UploadFile {
    std::filesystem::path path;
    std::string readable_name; // e.g. "Avis d'impôt 2025": made into a safe file name, see upload_file_name()
};

enum class EditKey { backspace, enter, tab, left, right };

class Browser {
public:
    // Called on any thread (the browser's own worker threads): it must only post the event to the UI thread.
    using Listener = std::function<void(BrowserEvent)>;

    virtual ~Browser() = default;
    virtual std::string name() const = 0;
    // Where events go; set it once, before open().
    virtual void set_listener(Listener listener) = 0;
    virtual Result<void> open(BrowseRequest const& request) = 0;
    // Closes the window and waits for the process; safe to call when nothing is open.
    virtual void close() = 0;
    virtual bool is_open() const = 0;
    // True once when the browser went away without close() (a crash): the UI brings the resident home.
    virtual bool take_unexpected_exit() = 0;

    // Answers a file request with files of the session, copied under their readable names into uploads_dir (the
    // copies go at close()). ErrorCode::usage when the request is not the pending one, when several files go to a
    // single input, or when a path is not a file; ErrorCode::io when a copy fails; browser_failed when the page
    // is gone.
    virtual Result<void> provide_files(uint64_t request_id, std::vector<UploadFile> const& files) = 0;
    // The resident chose nothing: the page's input stays as it was.
    virtual void cancel_file_request(uint64_t request_id) = 0;
    // Types text into the focused field of the page, as a keyboard's characters would.
    virtual Result<void> insert_text(std::string_view utf8) = 0;
    virtual Result<void> press_key(EditKey key) = 0;
    // Goes one page back in this visit's history: false when the page is the first one (the UI then leaves
    // the site, e.g. back to the partner's screen).
    virtual Result<bool> go_back() = 0;
    // Moves the page to another area, e.g. a shorter one while the on-screen keyboard is shown below it.
    virtual Result<void> set_area(ScreenArea area) = 0;
};

// The listener a backend reports to, set from the UI thread and called from the backend's own threads.
class BrowserListenerSlot {
public:
    void set(Browser::Listener listener);
    // Calls the listener, if any, outside the lock: it may call back into the backend.
    void emit(BrowserEvent event) const;

private:
    mutable std::mutex m_mutex;
    Browser::Listener m_listener;
};

// A file name a site accepts for readable_name: letters without accents, digits, '-', '_' and '.', spaces and
// quotes as '-', no folder part, at most 100 characters, ending in extension (".pdf", given with its dot).
// "Avis d'impôt 2025" + ".pdf" -> "Avis-d-impot-2025.pdf"; nothing readable left -> "document.pdf".
std::string upload_file_name(std::string_view readable_name, std::string_view extension);

// Whether a file with this name and MIME type fits what the request accepts (its accept tokens).
bool file_request_accepts(FileRequest const& request, std::string_view file_name, std::string_view mime_type);

} // namespace kiosk::drivers
