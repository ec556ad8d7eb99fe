// The libcurl settings and words shared by the GET and the send paths, so both stay held to the same care.
#include "kiosk/net/curl_common.h"

#include "kiosk/net/curl_global.h"

namespace kiosk::net {

namespace {

// libcurl calls it about once a second, and more often while data flows; non-zero ends the transfer.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto const* cancel = static_cast<std::atomic<bool> const*>(user);
    return cancel && cancel->load() ? 1 : 0;
}

} // namespace

CurlHandle start_curl()
{
    ensure_curl_initialised();
    return CurlHandle(curl_easy_init(), &curl_easy_cleanup);
}

void apply_transfer_settings(CURL* handle, TransferSettings const& settings)
{
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!settings.ca_file.empty()) {
        // The private CA alone: a certificate from any public CA is not the server the fleet set up.
        curl_easy_setopt(handle, CURLOPT_CAINFO, settings.ca_file.c_str());
        curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);
    }
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.total_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings.max_bytes));
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "france-services-kiosk");
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, settings.error_text);
    if (settings.cancel) {
        curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
        curl_easy_setopt(handle, CURLOPT_XFERINFODATA, settings.cancel);
    }
}

std::string describe_failure(CURLcode code, char const* error_text)
{
    std::string text = error_text && error_text[0] ? std::string(error_text) : std::string(curl_easy_strerror(code));
    if (code == CURLE_OPERATION_TIMEDOUT)
        return "timed out (" + text + ")";
    return text;
}

} // namespace kiosk::net
