// The simulated browser used on machines without Chromium and in unit tests.
#include "drivers/browser/sim/sim_browser.h"

#include <fstream>

namespace kiosk::drivers {

Result<std::unique_ptr<Browser>> SimBrowser::create(DriverSpec const& spec)
{
    TRY(spec.allow_only({ "fail" }));
    auto browser = std::make_unique<SimBrowser>();
    browser->m_fail = TRY(spec.get_int("fail", 0, 0, 1)) == 1;
    return std::unique_ptr<Browser>(std::move(browser));
}

void SimBrowser::set_listener(Listener listener)
{
    m_listener.set(std::move(listener));
}

Result<void> SimBrowser::open(BrowseRequest const& request)
{
    if (m_fail)
        return make_error(ErrorCode::browser_failed, "sim browser: configured to fail");
    if (request.url.empty() || request.allowed_domains.empty())
        return make_error(ErrorCode::usage, "sim browser: no url or no allowed domain");
    close();
    std::error_code ec;
    std::filesystem::create_directories(request.profile_dir, ec);
    std::filesystem::create_directories(request.downloads_dir, ec);
    if (!request.uploads_dir.empty())
        std::filesystem::create_directories(request.uploads_dir, ec);
    if (ec)
        return make_error(ErrorCode::browser_failed, "sim browser: " + ec.message());
    m_open = request;
    m_history = { request.url };
    m_history_index = 0;
    m_area = request.area;
    return {};
}

void SimBrowser::close()
{
    if (!m_open)
        return;
    std::error_code ec;
    for (auto const& given : m_given)
        std::filesystem::remove_all(given.parent_path(), ec);
    std::filesystem::remove_all(m_open->profile_dir, ec);
    m_open.reset();
    m_pending_file.reset();
    m_focused.reset();
    m_field_text.clear();
    m_given.clear();
}

bool SimBrowser::take_unexpected_exit()
{
    return std::exchange(m_crashed, false);
}

void SimBrowser::simulate_crash()
{
    if (!m_open)
        return;
    close();
    m_crashed = true;
    BrowserEvent event;
    event.kind = BrowserEvent::Kind::exited_unexpectedly;
    m_listener.emit(event);
}

Result<std::filesystem::path> SimBrowser::simulate_download(
    std::string const& file_name, std::vector<uint8_t> const& bytes)
{
    if (!m_open)
        return make_error(ErrorCode::browser_failed, "sim browser: not open");
    auto path = m_open->downloads_dir / file_name;
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<char const*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!file)
        return make_error(ErrorCode::io, "sim browser: cannot write " + path.string());
    return path;
}

Result<uint64_t> SimBrowser::simulate_file_request(bool multiple, std::vector<std::string> accept)
{
    if (!m_open)
        return make_error(ErrorCode::browser_failed, "sim browser: not open");
    FileRequest request { m_next_request++, multiple, std::move(accept) };
    m_pending_file = request;
    BrowserEvent event;
    event.kind = BrowserEvent::Kind::file_requested;
    event.file_request = request;
    m_listener.emit(event);
    return request.id;
}

void SimBrowser::simulate_focus(std::optional<TextFieldKind> field)
{
    if (!m_open || field == m_focused)
        return;
    m_focused = field;
    m_field_text.clear();
    BrowserEvent event;
    event.kind = field ? BrowserEvent::Kind::text_field_focused : BrowserEvent::Kind::text_field_left;
    event.field = field.value_or(TextFieldKind::text);
    m_listener.emit(event);
}

void SimBrowser::enter_page(std::string const& url)
{
    // A new document: later entries of the history go, and the old page's focused field with it.
    m_history.resize(m_history_index + 1);
    m_history.push_back(url);
    m_history_index = m_history.size() - 1;
    simulate_focus(std::nullopt);
}

void SimBrowser::simulate_navigation(std::string const& url)
{
    if (!m_open)
        return;
    enter_page(url);
    BrowserEvent shown;
    shown.kind = BrowserEvent::Kind::page_shown;
    m_listener.emit(shown);
}

void SimBrowser::simulate_page_failure(PageFailure failure, std::string const& host, bool whole_page, bool first_page)
{
    if (!m_open)
        return;
    if (whole_page && !first_page) {
        // Chromium's error page: a new entry in the history, not a page of the site.
        enter_page("chrome-error://chromewebdata/");
    }
    BrowserEvent event;
    event.kind = BrowserEvent::Kind::page_failed;
    event.failure = failure;
    event.failed_host = host;
    event.whole_page = whole_page;
    m_listener.emit(event);
}

Result<void> SimBrowser::provide_files(uint64_t request_id, std::vector<UploadFile> const& files)
{
    if (!m_open)
        return make_error(ErrorCode::browser_failed, "sim browser: not open");
    if (!m_pending_file || m_pending_file->id != request_id)
        return make_error(ErrorCode::usage, "sim browser: no page waits for that file request");
    if (m_open->uploads_dir.empty())
        return make_error(ErrorCode::usage, "sim browser: this visit has no uploads folder");
    if (files.empty() || (files.size() > 1 && !m_pending_file->multiple))
        return make_error(ErrorCode::usage, "sim browser: wrong number of files for this input");
    std::vector<std::filesystem::path> given;
    std::error_code ec;
    for (auto const& file : files) {
        if (!std::filesystem::is_regular_file(file.path, ec))
            return make_error(ErrorCode::usage, "sim browser: '" + file.path.string() + "' is not a file");
        auto folder
            = m_open->uploads_dir / ("given-" + std::to_string(request_id) + "-" + std::to_string(given.size() + 1));
        std::filesystem::create_directories(folder, ec);
        auto target = folder / upload_file_name(file.readable_name, file.path.extension().string());
        if (!ec)
            std::filesystem::copy_file(file.path, target, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec)
            return make_error(ErrorCode::io, "sim browser: " + ec.message());
        given.push_back(target);
    }
    m_given.insert(m_given.end(), given.begin(), given.end());
    m_pending_file.reset();
    return {};
}

void SimBrowser::cancel_file_request(uint64_t request_id)
{
    if (m_pending_file && m_pending_file->id == request_id)
        m_pending_file.reset();
}

Result<void> SimBrowser::insert_text(std::string_view utf8)
{
    if (!m_open)
        return make_error(ErrorCode::browser_failed, "sim browser: not open");
    if (m_focused)
        m_field_text += utf8;
    return {};
}

Result<void> SimBrowser::press_key(EditKey key)
{
    if (!m_open)
        return make_error(ErrorCode::browser_failed, "sim browser: not open");
    if (key == EditKey::backspace && m_focused && !m_field_text.empty()) {
        // One character, not one byte: continuation bytes of UTF-8 go with it.
        while (!m_field_text.empty() && (static_cast<unsigned char>(m_field_text.back()) & 0xC0) == 0x80)
            m_field_text.pop_back();
        if (!m_field_text.empty())
            m_field_text.pop_back();
    } else if (key == EditKey::tab || key == EditKey::enter) {
        simulate_focus(std::nullopt);
    }
    return {};
}

Result<bool> SimBrowser::go_back()
{
    if (!m_open)
        return make_error(ErrorCode::browser_failed, "sim browser: not open");
    if (m_history_index == 0)
        return false;
    --m_history_index;
    simulate_focus(std::nullopt);
    return true;
}

Result<void> SimBrowser::set_area(ScreenArea area)
{
    if (!m_open)
        return make_error(ErrorCode::browser_failed, "sim browser: not open");
    if (area.width < 100 || area.height < 100 || area.x < 0 || area.y < 0)
        return make_error(ErrorCode::usage, "sim browser: that area is not on a screen");
    m_area = area;
    return {};
}

} // namespace kiosk::drivers
