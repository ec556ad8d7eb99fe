// libcurl's easy interface behind Result; the callbacks enforce the size limit and collect the ETag.
#include "kiosk/net/http_fetch.h"

#include "kiosk/net/curl_global.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>

namespace kiosk::net {

namespace {

struct Transfer {
    HttpResponse response;
    size_t max_bytes = 0;
    bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    size_t bytes = size * count;
    if (transfer->response.body.size() + bytes > transfer->max_bytes) {
        transfer->too_large = true;
        return 0; // libcurl stops with CURLE_WRITE_ERROR
    }
    transfer->response.body.insert(transfer->response.body.end(), data, data + bytes);
    return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    // A new status line (after a redirect) starts a new set of headers.
    if (line.starts_with("HTTP/"))
        transfer->response.etag.clear();
    constexpr std::string_view name = "etag:";
    if (line.size() > name.size()) {
        bool match = true;
        for (size_t i = 0; i < name.size() && match; ++i)
            match = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i]))) == name[i];
        if (match) {
            auto value = line.substr(name.size());
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
                value.remove_suffix(1);
            // An ETag is echoed in a header of ours: nothing that could end that header or start another.
            bool clean = value.size() <= 256;
            for (unsigned char c : value)
                clean = clean && c >= 0x20 && c != 0x7f;
            transfer->response.etag = clean ? std::string(value) : std::string();
        }
    }
    return size * count;
}

// libcurl calls it about once a second, and more often while data flows; non-zero ends the transfer.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto const* cancel = static_cast<std::atomic<bool> const*>(user);
    return cancel && cancel->load() ? 1 : 0;
}

std::unexpected<Error> failed(std::string const& url, std::string why)
{
    return make_error(ErrorCode::request_failed, url + ": " + std::move(why));
}

} // namespace

Result<HttpResponse> http_get(HttpRequest const& request)
{
    ensure_curl_initialised();

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return make_error(ErrorCode::internal, "cannot start libcurl");
    Transfer transfer;
    transfer.max_bytes = request.max_bytes;
    char error_text[CURL_ERROR_SIZE] = {};
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
    if (!request.if_none_match.empty())
        headers.reset(curl_slist_append(nullptr, ("If-None-Match: " + request.if_none_match).c_str()));

    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request.ca_file.empty()) {
        // The private CA alone: a certificate from any public CA is not the fleet's server.
        curl_easy_setopt(handle, CURLOPT_CAINFO, request.ca_file.c_str());
        curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);
    }
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_bytes));
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "france-services-kiosk");
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
    if (headers)
        curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    if (request.cancel) {
        curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
        curl_easy_setopt(handle, CURLOPT_XFERINFODATA, request.cancel);
    }

    CURLcode code = curl_easy_perform(handle);
    if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED)
        return failed(request.url, "larger than " + std::to_string(request.max_bytes) + " bytes");
    if (code == CURLE_ABORTED_BY_CALLBACK)
        return make_error(ErrorCode::cancelled, request.url + ": cancelled");
    if (code != CURLE_OK) {
        std::string why = error_text[0] ? std::string(error_text) : std::string(curl_easy_strerror(code));
        if (code == CURLE_OPERATION_TIMEDOUT)
            why = "timed out (" + why + ")";
        else if (code == CURLE_PARTIAL_FILE)
            why = "download cut short (" + why + ")";
        return failed(request.url, why);
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer.response.status);
    if (transfer.response.status != 200 && transfer.response.status != 304)
        return failed(request.url, "HTTP status " + std::to_string(transfer.response.status));
    return std::move(transfer.response);
}

} // namespace kiosk::net
