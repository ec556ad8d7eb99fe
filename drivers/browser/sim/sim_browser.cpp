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

Result<void> SimBrowser::open(BrowseRequest const& request)
{
    if (m_fail)
        return make_error(ErrorCode::browser_failed, "sim browser: configured to fail");
    if (request.url.empty() || request.allowed_domains.empty())
        return make_error(ErrorCode::usage, "sim browser: no url or no allowed domain");
    std::error_code ec;
    std::filesystem::create_directories(request.profile_dir, ec);
    std::filesystem::create_directories(request.downloads_dir, ec);
    if (ec)
        return make_error(ErrorCode::browser_failed, "sim browser: " + ec.message());
    m_open = request;
    return {};
}

void SimBrowser::close()
{
    m_open.reset();
}

bool SimBrowser::take_unexpected_exit()
{
    return std::exchange(m_crashed, false);
}

void SimBrowser::simulate_crash()
{
    if (m_open) {
        m_open.reset();
        m_crashed = true;
    }
}

Result<std::filesystem::path> SimBrowser::simulate_download(std::string const& file_name, std::vector<uint8_t> const& bytes)
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

} // namespace kiosk::drivers
