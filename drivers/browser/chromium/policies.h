// Chromium's managed policies for one partner visit: the allow-list, the download folder, and the lock-down.
#pragma once

#include "drivers/browser/browser.h"
#include "kiosk/core/error.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers::chromium {

// Chromium merges every *.json in its managed directory; the kiosk owns this one file there.
inline constexpr std::string_view policy_file_name = "france-services-kiosk.json";

struct PolicyOptions {
    // Lets plain-http pages of the allowed domains download files. Chromium otherwise holds an http download
    // as "insecure" for ever; partner sites are https, so only the loopback tests need this.
    bool allow_insecure_downloads = false;
};

// ErrorCode::usage when the request cannot be shown safely: no domain, a malformed domain, a start URL that is
// not http(s) or lies outside the allowed domains, relative or nested session folders.
Result<void> validate_request(BrowseRequest const& request);

// True when host is one of domains or a subdomain of one (the way URLAllowlist matches a bare domain).
bool host_is_allowed(std::string_view host, std::vector<std::string> const& domains);

// The host of an http(s) URL, lower-cased; empty when the URL is not http(s) or carries user info.
std::string url_host(std::string_view url);

// The managed-policy JSON for a request (validate it first).
std::string policy_json(BrowseRequest const& request, PolicyOptions const& options = {});

// Writes json as policy_dir/policy_file_name, readable by all (the browser may run as another user).
Result<std::filesystem::path> write_policy_file(std::filesystem::path const& policy_dir, std::string const& json);

} // namespace kiosk::drivers::chromium
