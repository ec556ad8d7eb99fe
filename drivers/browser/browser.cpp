// What every browser backend shares: the names files get when handed to a page, and the accept check.
#include "drivers/browser/browser.h"

#include <algorithm>
#include <cstdint>

namespace kiosk::drivers {

std::string_view to_string(TextFieldKind kind)
{
    switch (kind) {
    case TextFieldKind::text: return "text";
    case TextFieldKind::email: return "email";
    case TextFieldKind::number: return "number";
    case TextFieldKind::telephone: return "telephone";
    case TextFieldKind::url: return "url";
    case TextFieldKind::password: return "password";
    case TextFieldKind::search: return "search";
    case TextFieldKind::multiline: return "multiline";
    }
    return "text";
}

std::string_view to_string(PageFailure failure)
{
    switch (failure) {
    case PageFailure::blocked: return "blocked";
    case PageFailure::unreachable: return "unreachable";
    case PageFailure::insecure: return "insecure";
    case PageFailure::redirect_loop: return "redirect_loop";
    case PageFailure::other: return "other";
    }
    return "other";
}

std::optional<PageFailure> page_failure_of(std::string_view net_error)
{
    if (net_error.starts_with("net::"))
        net_error.remove_prefix(5);
    if (net_error.empty() || net_error == "ERR_ABORTED")
        return std::nullopt;
    if (net_error == "ERR_BLOCKED_BY_ADMINISTRATOR" || net_error == "ERR_BLOCKED_BY_CLIENT"
        || net_error == "ERR_UNSAFE_REDIRECT" || net_error == "ERR_DISALLOWED_URL_SCHEME"
        || net_error == "ERR_UNKNOWN_URL_SCHEME")
        return PageFailure::blocked;
    if (net_error == "ERR_TOO_MANY_REDIRECTS")
        return PageFailure::redirect_loop;
    if (net_error.starts_with("ERR_CERT_") || net_error.starts_with("ERR_SSL_")
        || net_error == "ERR_BAD_SSL_CLIENT_AUTH_CERT" || net_error.starts_with("ERR_CERTIFICATE_"))
        return PageFailure::insecure;
    for (std::string_view unreachable : { "ERR_NAME_NOT_RESOLVED", "ERR_NAME_RESOLUTION_FAILED",
             "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_CONNECTION_ABORTED",
             "ERR_CONNECTION_FAILED", "ERR_CONNECTION_TIMED_OUT", "ERR_TIMED_OUT", "ERR_EMPTY_RESPONSE",
             "ERR_ADDRESS_UNREACHABLE", "ERR_INTERNET_DISCONNECTED", "ERR_NETWORK_CHANGED",
             "ERR_PROXY_CONNECTION_FAILED", "ERR_TUNNEL_CONNECTION_FAILED", "ERR_NETWORK_ACCESS_DENIED" })
        if (net_error == unreachable)
            return PageFailure::unreachable;
    return PageFailure::other;
}

namespace {

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), lower);
    return result;
}

// The letters of the kiosk's Latin-script languages (French, Spanish, Portuguese, Turkish, Romanian) without
// their accents; empty for anything else.
std::string_view unaccented(uint32_t code)
{
    if (code >= 0xC0 && code <= 0xC5)
        return "A";
    if (code >= 0xE0 && code <= 0xE5)
        return "a";
    if (code >= 0xC8 && code <= 0xCB)
        return "E";
    if (code >= 0xE8 && code <= 0xEB)
        return "e";
    if (code >= 0xCC && code <= 0xCF)
        return "I";
    if (code >= 0xEC && code <= 0xEF)
        return "i";
    if ((code >= 0xD2 && code <= 0xD6) || code == 0xD8)
        return "O";
    if ((code >= 0xF2 && code <= 0xF6) || code == 0xF8)
        return "o";
    if (code >= 0xD9 && code <= 0xDC)
        return "U";
    if (code >= 0xF9 && code <= 0xFC)
        return "u";
    switch (code) {
    case 0xC6: return "AE";
    case 0xE6: return "ae";
    case 0xC7: return "C";
    case 0xE7: return "c";
    case 0xD1: return "N";
    case 0xF1: return "n";
    case 0xDD:
    case 0x178: return "Y";
    case 0xFD:
    case 0xFF: return "y";
    case 0xDF: return "ss";
    case 0x152: return "OE";
    case 0x153: return "oe";
    case 0x102: return "A";
    case 0x103: return "a";
    case 0x11E: return "G";
    case 0x11F: return "g";
    case 0x130: return "I";
    case 0x131: return "i";
    case 0x15E:
    case 0x218: return "S";
    case 0x15F:
    case 0x219: return "s";
    case 0x162:
    case 0x21A: return "T";
    case 0x163:
    case 0x21B: return "t";
    default: return {};
    }
}

// The next UTF-8 character of text; malformed bytes come out one at a time as U+FFFD.
uint32_t next_code_point(std::string_view& text)
{
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char first = byte(0);
    size_t length = first < 0x80 ? 1 : (first >> 5) == 6 ? 2 : (first >> 4) == 14 ? 3 : (first >> 3) == 30 ? 4 : 0;
    if (length == 0 || length > text.size()) {
        text.remove_prefix(1);
        return 0xFFFD;
    }
    uint32_t code = length == 1 ? first : first & (0xFF >> (length + 1));
    for (size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80) {
            text.remove_prefix(1);
            return 0xFFFD;
        }
        code = (code << 6) | (byte(i) & 0x3F);
    }
    text.remove_prefix(length);
    return code;
}

bool valid_extension(std::string_view extension)
{
    return extension.size() >= 2 && extension.size() <= 9 && extension[0] == '.'
        && std::all_of(extension.begin() + 1, extension.end(),
            [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

} // namespace

void BrowserListenerSlot::set(Browser::Listener listener)
{
    std::lock_guard lock(m_mutex);
    m_listener = std::move(listener);
}

void BrowserListenerSlot::emit(BrowserEvent event) const
{
    Browser::Listener listener;
    {
        std::lock_guard lock(m_mutex);
        listener = m_listener;
    }
    if (listener)
        listener(std::move(event));
}

std::string upload_file_name(std::string_view readable_name, std::string_view extension)
{
    std::string ext = valid_extension(extension) ? lowered(extension) : std::string();
    // "Avis.pdf" given with ".pdf" stays "Avis.pdf", not "Avis.pdf.pdf".
    if (!ext.empty() && readable_name.size() > ext.size()
        && lowered(readable_name.substr(readable_name.size() - ext.size())) == ext)
        readable_name.remove_suffix(ext.size());
    std::string stem;
    auto separator = [&stem] {
        if (!stem.empty() && stem.back() != '-')
            stem += '-';
    };
    while (!readable_name.empty()) {
        uint32_t code = next_code_point(readable_name);
        bool plain = (code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z') || (code >= '0' && code <= '9')
            || code == '_' || code == '.';
        if (code == '.' && (stem.empty() || stem.back() == '-' || stem.back() == '.'))
            continue; // no hidden part ("/.ssh"), no ".."
        if (plain)
            stem += static_cast<char>(code);
        else if (auto letters = unaccented(code); !letters.empty())
            stem += letters;
        else
            separator(); // spaces, quotes, slashes, other scripts' letters, control characters
    }
    // No hidden file, no "..", no separator at either end.
    auto edge = [](char c) { return c == '-' || c == '.' || c == '_'; };
    while (!stem.empty() && edge(stem.front()))
        stem.erase(stem.begin());
    size_t limit = 100 - ext.size();
    if (stem.size() > limit)
        stem.resize(limit);
    while (!stem.empty() && edge(stem.back()))
        stem.pop_back();
    for (size_t at = stem.find(".."); at != std::string::npos; at = stem.find(".."))
        stem.erase(at, 1);
    if (stem.empty())
        stem = "document";
    return stem + ext;
}

bool file_request_accepts(FileRequest const& request, std::string_view file_name, std::string_view mime_type)
{
    if (request.accept.empty())
        return true;
    auto name = lowered(file_name);
    auto mime = lowered(mime_type);
    for (auto const& token : request.accept) {
        if (token.starts_with('.')) {
            if (name.size() > token.size() && name.ends_with(token))
                return true;
        } else if (token.ends_with("/*")) {
            if (mime.starts_with(std::string_view(token).substr(0, token.size() - 1)))
                return true;
        } else if (token == mime) {
            return true;
        }
    }
    return false;
}

} // namespace kiosk::drivers
