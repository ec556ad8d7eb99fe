// Chromium's managed policies for one partner visit: the allow-list, the download folder, and the lock-down.
#pragma once

#include "drivers/browser/browser.h"
#include "kiosk/core/error.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers::chromium {

// The name of the kiosk's file among Chromium's managed policies: the root-owned baseline on the machine, and
// the visit's policy that the sandbox shows Chromium in its place.
inline constexpr std::string_view policy_file_name = "france-services-kiosk.json";

// ErrorCode::usage when the request cannot be shown safely: no domain, a malformed domain, a start URL that is
// not https or lies outside the allowed domains, relative or nested session folders.
Result<void> validate_request(BrowseRequest const& request);

// True when host is one of domains or a subdomain of one (the way URLAllowlist matches a bare domain).
bool host_is_allowed(std::string_view host, std::vector<std::string> const& domains);

// The host of an http(s) URL, lower-cased; empty when the URL is not http(s) or carries user info.
std::string url_host(std::string_view url);

// The managed-policy JSON for a request (validate it first).
std::string policy_json(BrowseRequest const& request);

// Writes json as the file path (mode 0644), replacing what was there; a symbolic link there is refused.
Result<void> write_policy_file(std::filesystem::path const& path, std::string const& json);

} // namespace kiosk::drivers::chromium
