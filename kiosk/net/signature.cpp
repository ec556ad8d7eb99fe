// Ed25519 verification with OpenSSL's EVP interface (one-shot DigestVerify: Ed25519 hashes internally).
#include "kiosk/net/signature.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <memory>

namespace kiosk::net {

Result<void> verify_ed25519(std::span<const unsigned char> data, std::span<const unsigned char> signature,
    std::filesystem::path const& public_key_file)
{
    std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(public_key_file.c_str(), "rb"), &std::fclose);
    if (!file)
        return make_error(ErrorCode::config_invalid, public_key_file.string() + ": cannot read the public key");
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_PUBKEY(file.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_ED25519)
        return make_error(ErrorCode::config_invalid, public_key_file.string() + ": not a PEM Ed25519 public key");
    if (signature.size() != 64)
        return make_error(ErrorCode::request_failed,
            "signature of " + std::to_string(signature.size()) + " bytes, not the 64 of an Ed25519 signature");
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!context || EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return make_error(ErrorCode::crypto, "cannot set up Ed25519 verification");
    if (EVP_DigestVerify(context.get(), signature.data(), signature.size(), data.data(), data.size()) != 1)
        return make_error(ErrorCode::request_failed, "the signature does not match the bundle and the fleet's key");
    return {};
}

} // namespace kiosk::net
