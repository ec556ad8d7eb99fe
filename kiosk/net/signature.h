// The bundle's detached signature: Ed25519 over the whole file, 64 raw bytes (`openssl pkeyutl -sign -rawin`).
#pragma once

#include "kiosk/core/error.h"

#include <filesystem>
#include <span>

namespace kiosk::net {

// Nothing when signature is data's Ed25519 signature by the PEM public key in public_key_file. Otherwise
// ErrorCode::request_failed for a signature that does not match (or is not 64 bytes), ErrorCode::config_invalid
// for a key file that cannot be read or holds no Ed25519 public key.
Result<void> verify_ed25519(std::span<const unsigned char> data, std::span<const unsigned char> signature,
    std::filesystem::path const& public_key_file);

} // namespace kiosk::net
