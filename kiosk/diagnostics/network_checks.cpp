// The network checks on libcurl's multi interface: every site in flight at once on one thread, each stage of each
// site held to its own deadline by the loop, and the stage a site stopped at read from its timings and error code.
#include "kiosk/diagnostics/network_checks.h"

#include <curl/curl.h>
#include <openssl/asn1.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace kiosk::diagnostics {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The stages of reaching a site, in order; a site stops at the first that fails.
enum class Stage { dns, tcp, tls, http };
constexpr std::string_view stage_name(Stage stage)
{
    switch (stage) {
    case Stage::dns: return "dns";
    case Stage::tcp: return "tcp";
    case Stage::tls: return "tls";
    case Stage::http: return "http";
    }
    return "?";
}

// What one transfer learns as it goes; libcurl's callbacks fill it.
struct Site {
    bool probe = false;
    std::string url;
    std::string host;
    std::filesystem::path ca_file;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl { nullptr, &curl_easy_cleanup };
    char error_text[CURL_ERROR_SIZE] = {};
    SteadyClock::time_point started;
    bool got_body = false; // the first bytes of the answer came: we stop there (CURLE_WRITE_ERROR is success)
    std::optional<int> days_left; // of the server's certificate, read once the handshake is done
    std::string location; // a redirect's target
    std::optional<Stage> timed_out; // the loop ended it: this stage took longer than its timeout
    bool cancelled = false;
    // The connection's socket while libcurl holds it: libcurl tells when TCP is up only once TLS is too, so the loop
    // asks the socket itself (getpeername succeeds once it is connected), and notes when it first saw that.
    int socket = -1;
    int64_t tcp_seen_us = 0;
    int64_t ended_us = -1; // when the loop ended it (timed out, cancelled); libcurl's total time is not kept then
    std::vector<Check> checks;
};

std::string host_of(std::string const& url)
{
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find_first_of(":/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

size_t on_body(char*, size_t size, size_t count, void* user)
{
    auto* site = static_cast<Site*>(user);
    site->got_body = size * count > 0;
    // The status and the first bytes are all a check needs; a partner's home page is not worth downloading whole.
    return 0;
}

// Reads the certificate's end of validity while the connection is open (the SSL object exists only then), and the
// Location of a redirect.
size_t on_header(char* data, size_t size, size_t count, void* user)
{
    auto* site = static_cast<Site*>(user);
    std::string_view line(data, size * count);
    if (!site->days_left && !site->probe) {
        curl_tlssessioninfo* info = nullptr;
        if (curl_easy_getinfo(site->curl.get(), CURLINFO_TLS_SSL_PTR, &info) == CURLE_OK && info
            && info->backend == CURLSSLBACKEND_OPENSSL && info->internals) {
            if (X509* certificate = SSL_get0_peer_certificate(static_cast<SSL*>(info->internals))) {
                int days = 0;
                int seconds = 0;
                if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(certificate)))
                    site->days_left = days;
            }
        }
    }
    constexpr std::string_view location = "location:";
    if (line.size() > location.size() && std::equal(location.begin(), location.end(), line.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
        })) {
        auto value = line.substr(location.size());
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        site->location = std::string(value.substr(0, 200));
    }
    return size * count;
}

int on_socket_made(void* user, curl_socket_t socket, curlsocktype)
{
    static_cast<Site*>(user)->socket = socket;
    return CURL_SOCKOPT_OK;
}

int on_socket_close(void* user, curl_socket_t socket)
{
    auto* site = static_cast<Site*>(user);
    if (site->socket == socket)
        site->socket = -1;
    return ::close(socket);
}

// A time of libcurl's, in microseconds since the transfer started; 0 while that point is not reached.
int64_t elapsed_us(CURL* curl, CURLINFO info)
{
    curl_off_t value = 0;
    curl_easy_getinfo(curl, info, &value);
    return static_cast<int64_t>(value);
}

int64_t ms_between(int64_t from_us, int64_t to_us)
{
    return std::max<int64_t>(0, (to_us - from_us + 500) / 1000);
}

// Why a certificate was refused, in a technician's words.
std::string certificate_refusal(long verify_result, std::string const& curl_text, std::string const& host)
{
    switch (verify_result) {
    case X509_V_ERR_CERT_HAS_EXPIRED: return "the server's certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return "the server's certificate is not valid yet (is the kiosk's clock right?)";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return "the server's certificate is signed by an unknown certificate authority (a filtering proxy, or the "
               "wrong CA file)";
    case X509_V_ERR_HOSTNAME_MISMATCH: return "the server's certificate is not for " + host;
    case X509_V_OK:
    case X509_V_ERR_UNSPECIFIED:
        // libcurl checks the name itself, after OpenSSL accepted the chain, and leaves this code unspecified.
        if (curl_text.find("subject name") != std::string::npos || curl_text.find("host name") != std::string::npos)
            return "the server's certificate is not for " + host;
        return "the secure connection failed (" + curl_text + ")";
    default:
        return std::string("the server's certificate was refused (")
            + X509_verify_cert_error_string(static_cast<int>(verify_result)) + ")";
    }
}

std::string connect_failure(long os_errno, std::string const& port)
{
    switch (os_errno) {
    case ECONNREFUSED:
        return "connection refused on port " + port + " (nothing listens there, or a firewall rejects it)";
    case ENETUNREACH: return "network unreachable (no route: is the cable in, the network configured?)";
    case EHOSTUNREACH: return "host unreachable";
    case ETIMEDOUT: return "no answer to the connection on port " + port + " (a firewall may drop it)";
    default:
        return "cannot connect on port " + port + (os_errno ? std::string(" (") + std::strerror(os_errno) + ")" : "");
    }
}

std::string port_of(std::string const& url, bool https)
{
    auto host_start = url.find("://");
    host_start = host_start == std::string::npos ? 0 : host_start + 3;
    auto path = url.find_first_of("/?#", host_start);
    auto authority = url.substr(host_start, path == std::string::npos ? std::string::npos : path - host_start);
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']', colon) == std::string::npos)
        return authority.substr(colon + 1);
    return https ? "443" : "80";
}

void start(Site& site, NetworkRequest const& request, curl_slist* resolve, curl_slist* connect_to)
{
    site.curl.reset(curl_easy_init());
    CURL* curl = site.curl.get();
    if (!curl)
        return;
    long timeout = static_cast<long>(request.stage_timeout.count());
    curl_easy_setopt(curl, CURLOPT_URL, site.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, site.probe ? "http" : "https");
    // A redirect is an answer: the site is reached. The probe's redirect is the captive portal itself.
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!site.ca_file.empty()) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, site.ca_file.c_str());
        curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
    }
    // The loop holds each stage to its own timeout; these only bound a transfer the loop would somehow miss.
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 3 * timeout + 1000);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 4 * timeout + 1000);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // A lookup the loop gives up on is left to its thread rather than waited for, or one dead DNS server would hold
    // every other check (and a cancel) for as long as the resolver retries.
    curl_easy_setopt(curl, CURLOPT_QUICK_EXIT, 1L);
    // A fresh connection and a fresh lookup for every check: a cached one would hide the stage being checked.
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(curl, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    if (resolve)
        curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    if (connect_to)
        curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "france-services-kiosk-diagnostics");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, site.error_text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &site);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &site);
    curl_easy_setopt(curl, CURLOPT_PRIVATE, &site);
    curl_easy_setopt(curl, CURLOPT_SOCKOPTFUNCTION, &on_socket_made);
    curl_easy_setopt(curl, CURLOPT_SOCKOPTDATA, &site);
    curl_easy_setopt(curl, CURLOPT_CLOSESOCKETFUNCTION, &on_socket_close);
    curl_easy_setopt(curl, CURLOPT_CLOSESOCKETDATA, &site);
    site.started = SteadyClock::now();
}

// The stage a transfer in flight is at, from the points libcurl has reached, and since when (µs from its start).
std::pair<Stage, int64_t> current_stage(Site& site, int64_t now_us)
{
    CURL* curl = site.curl.get();
    int64_t dns = elapsed_us(curl, CURLINFO_NAMELOOKUP_TIME_T);
    if (dns == 0)
        return { Stage::dns, 0 };
    int64_t tcp = std::max(elapsed_us(curl, CURLINFO_CONNECT_TIME_T), site.tcp_seen_us);
    if (tcp == 0 && site.socket >= 0) {
        sockaddr_storage peer {};
        socklen_t length = sizeof peer;
        if (::getpeername(site.socket, reinterpret_cast<sockaddr*>(&peer), &length) == 0)
            tcp = site.tcp_seen_us = now_us;
    }
    if (tcp == 0)
        return { Stage::tcp, dns };
    if (site.probe)
        return { Stage::http, tcp };
    int64_t tls = elapsed_us(curl, CURLINFO_APPCONNECT_TIME_T);
    if (tls == 0)
        return { Stage::tls, tcp };
    return { Stage::http, tls };
}

// The probe's verdict: 204 and nothing else means the way to the Internet is open.
Check probe_check(Site const& site, CURLcode code, long status)
{
    Check check { "captive-portal " + site.host, false, "", 0 };
    CURL* curl = site.curl.get();
    check.ms = ms_between(0, site.ended_us >= 0 ? site.ended_us : elapsed_us(curl, CURLINFO_TOTAL_TIME_T));
    if (site.cancelled) {
        check.detail = "cancelled";
        return check;
    }
    bool answered = status > 0 && (code == CURLE_OK || (code == CURLE_WRITE_ERROR && site.got_body));
    if (!answered) {
        std::string why = site.timed_out ? "no answer in time"
                                         : std::string(site.error_text[0] ? site.error_text : curl_easy_strerror(code));
        check.detail = "the connectivity probe " + site.url + " could not be reached (" + why
            + "): no Internet access, or plain HTTP is blocked";
        return check;
    }
    if (status == 204 && !site.got_body) {
        check.ok = true;
        check.detail = "no captive portal: the probe answered 204 as expected";
    } else if (status >= 300 && status < 400) {
        check.detail = "a captive portal is in the way: the probe was redirected to "
            + (site.location.empty() ? std::string("another page") : site.location)
            + "; the network asks for a login or terms to accept before it lets the kiosk out";
    } else {
        check.detail = "a captive portal or a filtering proxy is in the way: the probe answered HTTP "
            + std::to_string(status) + (site.got_body ? " with a page" : "") + " instead of 204 with nothing";
    }
    return check;
}

// The checks of one site once its transfer ended: each stage it passed, then the one it stopped at.
std::vector<Check> site_checks(Site& site, CURLcode code)
{
    CURL* curl = site.curl.get();
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (site.probe)
        return { probe_check(site, code, status) };

    int64_t dns = elapsed_us(curl, CURLINFO_NAMELOOKUP_TIME_T);
    int64_t tcp = std::max(elapsed_us(curl, CURLINFO_CONNECT_TIME_T), site.tcp_seen_us);
    int64_t tls = elapsed_us(curl, CURLINFO_APPCONNECT_TIME_T);
    int64_t first_byte = elapsed_us(curl, CURLINFO_STARTTRANSFER_TIME_T);
    int64_t total = site.ended_us >= 0 ? site.ended_us : elapsed_us(curl, CURLINFO_TOTAL_TIME_T);
    std::string curl_text = site.error_text[0] ? site.error_text : curl_easy_strerror(code);
    char const* ip = nullptr;
    curl_easy_getinfo(curl, CURLINFO_PRIMARY_IP, &ip);
    std::string address = ip && *ip ? ip : "";
    long primary_port = 0;
    curl_easy_getinfo(curl, CURLINFO_PRIMARY_PORT, &primary_port);
    std::string port = primary_port > 0 ? std::to_string(primary_port) : port_of(site.url, true);
    bool answered = status > 0 && (code == CURLE_OK || (code == CURLE_WRITE_ERROR && site.got_body));

    // Which stage failed, when one did.
    std::optional<Stage> failed;
    std::string why;
    if (site.cancelled || site.timed_out) {
        failed = site.timed_out.value_or(current_stage(site, total).first);
        why = site.cancelled ? "cancelled" : "";
    } else if (!answered) {
        switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
            failed = Stage::dns;
            why = "the name " + site.host + " does not resolve (no such name, or no DNS server answers)";
            break;
        case CURLE_COULDNT_CONNECT: {
            failed = Stage::tcp;
            long os_errno = 0;
            curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
            why = connect_failure(os_errno, port);
            break;
        }
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH: {
            failed = Stage::tls;
            long verify_result = X509_V_OK;
            curl_easy_getinfo(curl, CURLINFO_SSL_VERIFYRESULT, &verify_result);
            why = code == CURLE_SSL_CACERT_BADFILE ? "the CA file " + site.ca_file.string() + " cannot be read"
                                                   : certificate_refusal(verify_result, curl_text, site.host);
            break;
        }
        case CURLE_OPERATION_TIMEDOUT:
            failed = dns == 0 ? Stage::dns : tcp == 0 ? Stage::tcp : tls == 0 ? Stage::tls : Stage::http;
            break;
        default:
            failed = dns == 0 ? Stage::dns : tcp == 0 ? Stage::tcp : tls == 0 ? Stage::tls : Stage::http;
            why = curl_text;
            break;
        }
    } else if (status >= 500) {
        failed = Stage::http;
        why = "the site answered HTTP " + std::to_string(status) + ": it is out of order on its side";
    }

    std::vector<Check> checks;
    auto add = [&](Stage stage, bool ok, std::string detail, int64_t ms) {
        checks.push_back(Check { std::string(stage_name(stage)) + " " + site.host, ok, std::move(detail), ms });
    };
    // The stage that failed, with why; a timeout says what did not come.
    auto stopped_at = [&](Stage stage, int64_t since_us) {
        std::string waited = std::to_string(ms_between(since_us, total)) + " ms";
        if (why.empty()) {
            switch (stage) {
            case Stage::dns: why = "no DNS answer for " + site.host + " within " + waited; break;
            case Stage::tcp:
                why = "no answer to the connection on port " + port + " within " + waited + " (a firewall may drop it)";
                break;
            case Stage::tls:
                why = "the server took the connection but did not complete the secure handshake within " + waited;
                break;
            case Stage::http: why = "no HTTP answer within " + waited; break;
            }
        }
        add(stage, false, why, ms_between(since_us, total));
        return checks;
    };

    if (failed == Stage::dns)
        return stopped_at(Stage::dns, 0);
    add(Stage::dns, true, address.empty() ? "resolved" : "resolved to " + address, ms_between(0, dns));
    if (failed == Stage::tcp)
        return stopped_at(Stage::tcp, dns);
    add(Stage::tcp, true, "connected to " + (address.empty() ? site.host : address) + " port " + port,
        ms_between(dns, tcp));
    if (failed == Stage::tls)
        return stopped_at(Stage::tls, tcp);
    std::string certificate = "certificate verified";
    if (site.days_left)
        certificate += ", " + std::to_string(*site.days_left) + " days left"
            + (*site.days_left < 14 ? " (renewal due soon)" : "");
    add(Stage::tls, true, certificate, ms_between(tcp, tls));
    if (failed == Stage::http)
        return stopped_at(Stage::http, tls);
    std::string answer = "HTTP " + std::to_string(status);
    if (status >= 300 && status < 400 && !site.location.empty())
        answer += " to " + site.location;
    else if (status >= 400)
        answer += ": the site answers (it refuses this check's request, which a browser's may not be)";
    add(Stage::http, true, answer, ms_between(tls, first_byte));
    return checks;
}

curl_slist* string_list(std::vector<std::string> const& entries)
{
    curl_slist* list = nullptr;
    for (auto const& entry : entries)
        list = curl_slist_append(list, entry.c_str());
    return list;
}

} // namespace

std::vector<Check> run_network_checks(NetworkRequest const& request)
{
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    std::deque<Site> sites; // a deque: the callbacks hold pointers to its elements
    for (size_t i = 0; i < request.targets.size(); ++i) {
        auto& site = sites.emplace_back();
        site.url = request.targets[i].url;
        site.host = host_of(site.url);
        site.ca_file = request.targets[i].ca_file;
    }
    if (!request.captive_probe_url.empty()) {
        auto& site = sites.emplace_back();
        site.probe = true;
        site.url = request.captive_probe_url;
        site.host = host_of(site.url);
    }

    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> resolve(
        string_list(request.resolve), &curl_slist_free_all);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> connect_to(
        string_list(request.connect_to), &curl_slist_free_all);
    std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), &curl_multi_cleanup);
    size_t next = 0;
    size_t running = 0;
    unsigned limit = std::max(1u, request.max_parallel);
    auto finish = [&](Site& site, CURLcode code) {
        curl_multi_remove_handle(multi.get(), site.curl.get());
        site.checks = site_checks(site, code);
        --running;
        if (request.on_site_done)
            request.on_site_done(site.checks);
    };

    while (next < sites.size() || running > 0) {
        bool cancelled = request.cancel && request.cancel->load();
        if (cancelled)
            break;
        while (next < sites.size() && running < limit) {
            auto& site = sites[next++];
            start(site, request, resolve.get(), connect_to.get());
            if (!site.curl || curl_multi_add_handle(multi.get(), site.curl.get()) != CURLM_OK) {
                site.checks.push_back(Check { (site.probe ? "captive-portal " : "dns ") + site.host, false,
                    "cannot start libcurl (out of memory?)", 0 });
                continue;
            }
            ++running;
        }
        int still_running = 0;
        curl_multi_perform(multi.get(), &still_running);
        while (true) {
            int queued = 0;
            CURLMsg* message = curl_multi_info_read(multi.get(), &queued);
            if (!message)
                break;
            if (message->msg != CURLMSG_DONE)
                continue;
            Site* site = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &site);
            finish(*site, message->data.result);
        }
        // Each stage in flight against its own timeout.
        auto now = SteadyClock::now();
        int64_t limit_us = std::chrono::duration_cast<std::chrono::microseconds>(request.stage_timeout).count();
        for (auto& site : sites) {
            if (!site.curl || !site.checks.empty() || site.timed_out)
                continue;
            int64_t elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - site.started).count();
            int64_t total_limit = site.probe ? 3 * limit_us : limit_us;
            auto [stage, since] = current_stage(site, elapsed);
            if (elapsed - (site.probe ? 0 : since) > total_limit) {
                site.timed_out = stage;
                site.ended_us = elapsed;
                finish(site, CURLE_OPERATION_TIMEDOUT);
            }
        }
        if (running > 0)
            curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr);
    }

    // Cancelled: what was in flight says where it was, what had not started says it did not.
    for (auto& site : sites) {
        if (!site.checks.empty())
            continue;
        if (site.curl) {
            site.cancelled = true;
            site.ended_us
                = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - site.started).count();
            curl_multi_remove_handle(multi.get(), site.curl.get());
            site.checks = site_checks(site, CURLE_ABORTED_BY_CALLBACK);
        } else {
            site.checks.push_back(Check {
                (site.probe ? "captive-portal " : "dns ") + site.host, false, "cancelled before it started", 0 });
        }
    }
    std::vector<Check> checks;
    for (auto& site : sites)
        checks.insert(checks.end(), site.checks.begin(), site.checks.end());
    return checks;
}

std::vector<Target> targets_from(core::Catalogue const& catalogue, core::NetworkConfig const& network)
{
    std::vector<Target> targets;
    std::set<std::string> hosts;
    auto add = [&](std::string const& url, std::filesystem::path const& ca_file) {
        if (url.empty() || !hosts.insert(host_of(url)).second)
            return;
        targets.push_back({ url, ca_file });
    };
    for (auto const& partner : catalogue.partners)
        add(partner.url, {});
    add(franceconnect_url, {});
    if (!network.config_url.empty())
        add(network.config_url, network.ca_file);
    return targets;
}

} // namespace kiosk::diagnostics
