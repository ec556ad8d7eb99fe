// libcurl's easy interface behind Result; the callbacks enforce the size limit and collect the ETag.
#include "kiosk/net/http_fetch.h"

#include "kiosk/net/curl_common.h"

#include <cctype>
#include <memory>

namespace kiosk::net {

namespace {

size_t on_header(char* data, size_t size, size_t count, void* user)
{
    auto* response = static_cast<HttpResponse*>(user);
    std::string_view line(data, size * count);
    // A new status line (after a redirect) starts a new set of headers.
    if (line.starts_with("HTTP/"))
        response->etag.clear();
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
            response->etag = clean ? std::string(value) : std::string();
        }
    }
    return size * count;
}

std::unexpected<Error> failed(std::string const& url, std::string why)
{
    return make_error(ErrorCode::request_failed, url + ": " + std::move(why));
}

} // namespace

Result<HttpResponse> http_get(HttpRequest const& request)
{
    CurlHandle curl = start_curl();
    if (!curl)
        return make_error(ErrorCode::internal, "cannot start libcurl");
    HttpResponse response;
    LimitedBody<std::vector<unsigned char>> body { response.body, request.max_bytes };
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
    apply_transfer_settings(handle, request, request.max_bytes, error_text);
    collect_body(handle, body);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response);
    if (headers)
        curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());

    CURLcode code = curl_easy_perform(handle);
    if (body.too_large || code == CURLE_FILESIZE_EXCEEDED)
        return failed(request.url, "larger than " + std::to_string(request.max_bytes) + " bytes");
    if (code == CURLE_ABORTED_BY_CALLBACK)
        return make_error(ErrorCode::cancelled, request.url + ": cancelled");
    if (code != CURLE_OK) {
        std::string why = describe_failure(code, error_text);
        if (code == CURLE_PARTIAL_FILE)
            why = "download cut short (" + why + ")";
        return failed(request.url, why);
    }
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    if (response.status != 200 && response.status != 304)
        return failed(request.url, "HTTP status " + std::to_string(response.status));
    return response;
}

} // namespace kiosk::net
