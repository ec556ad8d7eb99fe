// Builds and installs the managed-policy file that keeps Chromium on the partner's domains.
#include "drivers/browser/chromium/policies.h"

#include "kiosk/core/catalogue.h"
#include "kiosk/core/json.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <iterator>

namespace kiosk::drivers::chromium {

namespace {

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_ci(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (lower(text[i]) != prefix[i])
            return false;
    return true;
}

bool is_inside(std::filesystem::path const& inner, std::filesystem::path const& outer)
{
    auto a = inner.lexically_normal();
    auto b = outer.lexically_normal();
    auto [end_b, end_a] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
    return end_b == b.end() || (std::next(end_b) == b.end() && end_b->empty());
}

} // namespace

std::string url_host(std::string_view url)
{
    std::string_view rest;
    if (starts_with_ci(url, "https://"))
        rest = url.substr(8);
    else if (starts_with_ci(url, "http://"))
        rest = url.substr(7);
    else
        return {};
    auto authority = rest.substr(0, rest.find_first_of("/?#"));
    // user@host would make the host hard to read for a person and for this check alike.
    if (authority.find('@') != std::string_view::npos || authority.find('\\') != std::string_view::npos)
        return {};
    auto host = authority.substr(0, authority.find(':'));
    std::string result;
    for (char c : host)
        result += lower(c);
    return result;
}

bool host_is_allowed(std::string_view host, std::vector<std::string> const& domains)
{
    for (auto const& domain : domains) {
        if (host == domain)
            return true;
        if (host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.')
            return true;
    }
    return false;
}

Result<void> validate_request(BrowseRequest const& request)
{
    if (request.allowed_domains.empty())
        return make_error(
            ErrorCode::usage, "chromium browser: partner '" + request.partner_slug + "' has no allowed domain");
    for (auto const& domain : request.allowed_domains)
        if (!kiosk::core::is_valid_domain(domain))
            return make_error(ErrorCode::usage,
                "chromium browser: partner '" + request.partner_slug + "' has a malformed domain '" + domain + "'");
    auto host = url_host(request.url);
    if (host.empty())
        return make_error(
            ErrorCode::usage, "chromium browser: start address '" + request.url + "' is not an http(s) URL");
    if (!host_is_allowed(host, request.allowed_domains))
        return make_error(
            ErrorCode::usage, "chromium browser: start address '" + request.url + "' is outside the allowed domains");
    for (char c : request.url)
        if (static_cast<unsigned char>(c) <= ' ')
            return make_error(
                ErrorCode::usage, "chromium browser: start address contains spaces or control characters");
    // A language tag ("fr", "en", "pt-BR") goes on Chromium's command line: nothing else may.
    if (request.language.size() > 12
        || !std::ranges::all_of(request.language, [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '-'; }))
        return make_error(ErrorCode::usage, "chromium browser: '" + request.language + "' is not a language tag");
    // The profile is deleted recursively at close: refuse anything that is not clearly a folder of its own.
    auto const& profile = request.profile_dir;
    auto const& downloads = request.downloads_dir;
    if (!profile.is_absolute() || !downloads.is_absolute() || profile.lexically_normal() == profile.root_path()
        || profile.lexically_normal().parent_path() == profile.root_path())
        return make_error(
            ErrorCode::usage, "chromium browser: profile and downloads folders must be absolute session folders");
    if (is_inside(downloads, profile) || is_inside(profile, downloads))
        return make_error(
            ErrorCode::usage, "chromium browser: the downloads folder and the profile must not contain each other");
    return {};
}

std::string policy_json(BrowseRequest const& request, PolicyOptions const& options)
{
    JsonWriter w;
    w.begin_object();
    // Everything is blocked but the partner's domains (a bare domain also allows its subdomains, http and https).
    // The explicit schemes document intent; "*" already covers them.
    w.key("URLBlocklist").begin_array();
    for (auto pattern :
        { "*", "file://*", "chrome://*", "chrome-untrusted://*", "devtools://*", "view-source:*", "javascript://*" })
        w.value(pattern);
    w.end_array();
    w.key("URLAllowlist").begin_array();
    for (auto const& domain : request.allowed_domains)
        w.value(domain);
    w.end_array();
    if (options.allow_insecure_downloads) {
        w.key("InsecureContentAllowedForUrls").begin_array();
        for (auto const& domain : request.allowed_domains)
            w.value("[*.]" + domain);
        w.end_array();
    }

    w.key("DownloadDirectory").value(request.downloads_dir.string());
    w.key("PromptForDownloadLocation").value(false);
    // A PDF a site shows (most attestations) is saved like a download, so it reaches the tray, where it can be
    // previewed, printed within the quota and kept for the session; Chromium's viewer would only show it.
    w.key("AlwaysOpenPdfExternally").value(true);
    w.key("AllowFileSelectionDialogs").value(true); // uploads; HOME is the session, so the picker shows its files

    w.key("DeveloperToolsAvailability").value(2);
    w.key("IncognitoModeAvailability").value(1);
    w.key("BrowserGuestModeEnabled").value(false);
    w.key("BrowserAddPersonEnabled").value(false);
    w.key("BrowserSignin").value(0);
    w.key("SyncDisabled").value(true);
    w.key("PasswordManagerEnabled").value(false);
    w.key("AutofillAddressEnabled").value(false);
    w.key("AutofillCreditCardEnabled").value(false);
    w.key("PaymentMethodQueryEnabled").value(false);
    w.key("SavingBrowserHistoryDisabled").value(true);
    w.key("ExtensionInstallBlocklist").begin_array().value("*").end_array();
    // Printing goes through the tray, where the kiosk counts pages; the browser's own dialog would bypass it.
    w.key("PrintingEnabled").value(false);

    w.key("DefaultPopupsSetting").value(2);
    w.key("DefaultNotificationsSetting").value(2);
    w.key("DefaultGeolocationSetting").value(2);
    // The kiosk's card readers and serial MRZ reader belong to the kiosk, never to a web page.
    w.key("DefaultWebUsbGuardSetting").value(2);
    w.key("DefaultSerialGuardSetting").value(2);
    w.key("DefaultWebHidGuardSetting").value(2);
    w.key("DefaultWebBluetoothGuardSetting").value(2);
    w.key("AudioCaptureAllowed").value(false);
    w.key("VideoCaptureAllowed").value(false);
    w.key("ScreenCaptureAllowed").value(false);

    w.key("TranslateEnabled").value(false);
    w.key("SearchSuggestEnabled").value(false);
    w.key("MetricsReportingEnabled").value(false);
    w.key("BackgroundModeEnabled").value(false);
    w.key("DefaultBrowserSettingEnabled").value(false);
    w.key("PromotionalTabsEnabled").value(false);
    w.key("BookmarkBarEnabled").value(false);
    w.key("TaskManagerEndProcessEnabled").value(false);
    w.key("AllowDinosaurEasterEgg").value(false);
    w.end_object();
    return w.str() + "\n";
}

Result<std::filesystem::path> write_policy_file(std::filesystem::path const& policy_dir, std::string const& json)
{
    std::error_code ec;
    std::filesystem::create_directories(policy_dir, ec);
    if (ec)
        return make_error(
            ErrorCode::browser_failed, "chromium browser: cannot create " + policy_dir.string() + ": " + ec.message());
    auto path = policy_dir / policy_file_name;
    // Rewritten in place: deployment may let the kiosk user own this one file without owning the directory.
    // Chromium reads it when it starts, and the driver writes it before starting Chromium.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return make_error(
            ErrorCode::browser_failed, "chromium browser: cannot write " + path.string() + ": " + std::strerror(errno));
    size_t done = 0;
    while (done < json.size()) {
        auto n = ::write(fd, json.data() + done, json.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = errno;
            ::close(fd);
            return make_error(ErrorCode::browser_failed,
                "chromium browser: cannot write " + path.string() + ": " + std::strerror(saved));
        }
        done += static_cast<size_t>(n);
    }
    ::fchmod(fd, 0644);
    if (::close(fd) != 0)
        return make_error(
            ErrorCode::browser_failed, "chromium browser: cannot write " + path.string() + ": " + std::strerror(errno));
    return path;
}

} // namespace kiosk::drivers::chromium
