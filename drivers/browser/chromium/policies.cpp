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
    // An IPv6 literal keeps its brackets: "[2001:db8::1]", not "[2001".
    auto host = authority.starts_with('[') ? authority.substr(0, authority.find(']') + 1)
                                           : authority.substr(0, authority.find(':'));
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
    // Only https is allowed: a plain-http start page would be blocked by the policy anyway.
    if (host.empty() || !starts_with_ci(request.url, "https://"))
        return make_error(
            ErrorCode::usage, "chromium browser: start address '" + request.url + "' is not an https URL");
    if (!host_is_allowed(host, request.allowed_domains))
        return make_error(
            ErrorCode::usage, "chromium browser: start address '" + request.url + "' is outside the allowed domains");
    for (char c : request.url)
        if (static_cast<unsigned char>(c) <= ' ')
            return make_error(
                ErrorCode::usage, "chromium browser: start address contains spaces or control characters");
    // A language tag ("fr", "en", "pt-BR") goes on Chromium's command line: nothing else may.
    if (request.language.size() > 12 || !std::ranges::all_of(request.language, [](char c) {
            return std::isalpha(static_cast<unsigned char>(c)) || c == '-';
        }))
        return make_error(ErrorCode::usage, "chromium browser: '" + request.language + "' is not a language tag");
    // The profile is deleted recursively at close, and every folder is bound into the sandbox read-write: refuse
    // anything that is not clearly a folder of the session's own.
    std::vector<std::filesystem::path> folders { request.profile_dir, request.downloads_dir };
    if (!request.uploads_dir.empty())
        folders.push_back(request.uploads_dir);
    for (auto const& folder : folders) {
        auto normal = folder.lexically_normal();
        if (!folder.is_absolute() || normal == folder.root_path() || normal.parent_path() == folder.root_path())
            return make_error(ErrorCode::usage,
                "chromium browser: profile, downloads and uploads folders must be absolute session folders");
    }
    for (size_t i = 0; i < folders.size(); ++i)
        for (size_t j = 0; j < folders.size(); ++j)
            if (i != j && is_inside(folders[i], folders[j]))
                return make_error(ErrorCode::usage,
                    "chromium browser: the profile, downloads and uploads folders must not contain each other");
    return {};
}

std::string policy_json(BrowseRequest const& request)
{
    JsonWriter w;
    w.begin_object();
    // Everything is blocked but the partner's domains over https (an origin without a leading dot also allows
    // its subdomains). The explicit schemes document intent; "*" already covers them.
    w.key("URLBlocklist").begin_array();
    for (auto pattern :
        { "*", "file://*", "chrome://*", "chrome-untrusted://*", "devtools://*", "view-source:*", "javascript://*" })
        w.value(pattern);
    w.end_array();
    w.key("URLAllowlist").begin_array();
    for (auto const& domain : request.allowed_domains)
        w.value("https://" + domain);
    w.end_array();

    w.key("DownloadDirectory").value(request.downloads_dir.string());
    w.key("PromptForDownloadLocation").value(false);
    // A PDF a site shows (most attestations) is saved like a download, so it reaches the tray, where it can be
    // previewed, printed within the quota and kept for the session; Chromium's viewer would only show it.
    w.key("AlwaysOpenPdfExternally").value(true);
    // 1: files Chromium's download protection calls dangerous (programs, scripts, installers) are refused. Not 3,
    // which refuses every download, attestations included; the tray takes only PDFs of what is left.
    w.key("DownloadRestrictions").value(1);
    w.key("AutoOpenFileTypes").begin_array().end_array();
    w.key("ExternalProtocolDialogShowAlwaysOpenCheckbox").value(false);
    // No dialog of Chromium's own reaches the machine's files: uploads go through the kiosk's picker (the file
    // chooser is intercepted over DevTools), "save as" and "open file" have nothing to show.
    w.key("AllowFileSelectionDialogs").value(false);
    w.key("DefaultFileSystemReadGuardSetting").value(2);
    w.key("DefaultFileSystemWriteGuardSetting").value(2);

    // 1: DevTools can attach to pages, which the kiosk's pipe needs; the resident's F12 and Ctrl+Shift+I reach
    // only devtools:// pages, which the block-list refuses. The pipe itself needs remote debugging allowed.
    w.key("DeveloperToolsAvailability").value(1);
    w.key("RemoteDebuggingAllowed").value(true);
    w.key("SSLErrorOverrideAllowed").value(false);
    w.key("FullscreenAllowed").value(false);
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
    w.key("EditBookmarksEnabled").value(false);
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
    w.key("EnableMediaRouter").value(false);

    // Nothing the resident types leaves for a service of the browser's own.
    w.key("SpellCheckServiceEnabled").value(false);
    w.key("DefaultSearchProviderEnabled").value(false);
    w.key("NetworkPredictionOptions").value(2);
    w.key("TranslateEnabled").value(false);
    w.key("SearchSuggestEnabled").value(false);
    w.key("MetricsReportingEnabled").value(false);
    w.key("BackgroundModeEnabled").value(false);
    w.key("DefaultBrowserSettingEnabled").value(false);
    w.key("PromotionalTabsEnabled").value(false);
    w.key("BookmarkBarEnabled").value(false);
    w.key("TaskManagerEndProcessEnabled").value(false);
    w.key("AllowDinosaurEasterEgg").value(false);
    // The driver's own flags (--host-resolver-rules) would otherwise put a warning bar over the partner's page.
    w.key("CommandLineFlagSecurityWarningsEnabled").value(false);
    w.end_object();
    return w.str() + "\n";
}

Result<void> write_policy_file(std::filesystem::path const& path, std::string const& json)
{
    // In the session folder, outside every folder the browser may write; the sandbox shows it read-only.
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
    return {};
}

} // namespace kiosk::drivers::chromium
