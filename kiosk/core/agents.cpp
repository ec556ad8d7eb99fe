// The agent store: scrypt PIN hashes through OpenSSL, badge UIDs hashed with a per-store salt, TOML on disk.
#include "kiosk/core/agents.h"

#include "kiosk/core/hex.h"
#include "kiosk/core/toml_file.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::core {

std::string_view to_string(AgentRole role)
{
    return role == AgentRole::technician ? "technician" : "agent";
}

namespace {

constexpr size_t salt_bytes = 16;
constexpr size_t key_bytes = 32;
constexpr uint64_t max_scrypt_memory = 256ull * 1024 * 1024;

std::string base64(unsigned char const* data, size_t size)
{
    std::string out(4 * ((size + 2) / 3), '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<size_t>(std::max(written, 0)));
    return out;
}

std::optional<std::vector<unsigned char>> unbase64(std::string_view text)
{
    if (text.empty() || text.size() % 4 != 0)
        return std::nullopt;
    std::vector<unsigned char> out(text.size() / 4 * 3);
    int written = EVP_DecodeBlock(
        out.data(), reinterpret_cast<unsigned char const*>(text.data()), static_cast<int>(text.size()));
    if (written < 0)
        return std::nullopt;
    size_t padding = static_cast<size_t>(std::count(text.end() - 2, text.end(), '='));
    out.resize(static_cast<size_t>(written) - padding);
    return out;
}

bool derive(
    std::string_view pin, unsigned char const* salt, size_t salt_size, PinHashParameters parameters, unsigned char* out)
{
    return EVP_PBE_scrypt(pin.data(), pin.size(), salt, salt_size, parameters.n, parameters.r, parameters.p,
               max_scrypt_memory, out, key_bytes)
        == 1;
}

bool valid_id(std::string const& id)
{
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.'
            || c == '-' || c == '_';
    });
}

std::optional<std::string> normalise_uid(std::string_view uid_hex)
{
    std::string uid;
    for (char c : uid_hex) {
        if (c == ':' || c == ' ')
            continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
        uid.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (uid.size() != 8 && uid.size() != 14 && uid.size() != 20)
        return std::nullopt;
    return uid;
}

} // namespace

bool is_valid_pin(std::string_view pin)
{
    return pin.size() >= min_pin_digits && pin.size() <= max_pin_digits
        && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::string> hash_pin(std::string_view pin, PinHashParameters parameters)
{
    if (!is_valid_pin(pin))
        return make_error(ErrorCode::usage,
            "a PIN is " + std::to_string(min_pin_digits) + " to " + std::to_string(max_pin_digits) + " digits");
    unsigned char salt[salt_bytes];
    unsigned char key[key_bytes];
    if (RAND_bytes(salt, sizeof salt) != 1 || !derive(pin, salt, sizeof salt, parameters, key))
        return make_error(ErrorCode::crypto, "scrypt failed");
    std::string result = "scrypt$" + std::to_string(parameters.n) + "$" + std::to_string(parameters.r) + "$"
        + std::to_string(parameters.p) + "$" + base64(salt, sizeof salt) + "$" + base64(key, sizeof key);
    OPENSSL_cleanse(key, sizeof key);
    return result;
}

bool verify_pin(std::string_view pin, std::string_view pin_hash)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        auto dollar = pin_hash.find('$', start);
        parts.push_back(
            pin_hash.substr(start, dollar == std::string_view::npos ? std::string_view::npos : dollar - start));
        if (dollar == std::string_view::npos)
            break;
        start = dollar + 1;
    }
    if (parts.size() != 6 || parts[0] != "scrypt")
        return false;
    PinHashParameters parameters;
    for (auto [part, value] : { std::pair { parts[1], &parameters.n }, std::pair { parts[2], &parameters.r },
             std::pair { parts[3], &parameters.p } }) {
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), *value);
        if (ec != std::errc() || end != part.data() + part.size())
            return false;
    }
    // Refuse parameters that would let a tampered file make verification trivial or exhaust memory.
    if (parameters.n < (1u << 14) || parameters.n > (1u << 20) || parameters.r < 1 || parameters.r > 32
        || parameters.p < 1 || parameters.p > 4)
        return false;
    auto salt = unbase64(parts[4]);
    auto expected = unbase64(parts[5]);
    if (!salt || !expected || expected->size() != key_bytes)
        return false;
    unsigned char key[key_bytes];
    bool ok = derive(pin, salt->data(), salt->size(), parameters, key)
        && CRYPTO_memcmp(key, expected->data(), key_bytes) == 0;
    OPENSSL_cleanse(key, sizeof key);
    return ok;
}

Result<AgentStore> AgentStore::load(std::filesystem::path const& file)
{
    AgentStore store;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        unsigned char salt[salt_bytes];
        if (RAND_bytes(salt, sizeof salt) != 1)
            return make_error(ErrorCode::crypto, "no randomness for the badge salt");
        store.m_badge_salt = to_hex(salt);
        return store;
    }
    toml::table const root = TRY(parse_toml_file(file));
    auto fail = [&](toml::node const* node, std::string const& message) { return toml_error(file, node, message); };
    auto salt = root["badge_salt"].value_exact<std::string>();
    if (!salt || salt->size() != 2 * salt_bytes)
        return fail(&root, "badge_salt is missing or malformed");
    store.m_badge_salt = *salt;
    if (auto const* agents = root["agent"].as_array()) {
        for (auto const& node : *agents) {
            auto const* table = node.as_table();
            if (!table)
                return fail(&node, "[[agent]] must be a table");
            Agent agent;
            auto id = (*table)["id"].value_exact<std::string>();
            auto name = (*table)["name"].value_exact<std::string>();
            auto role = (*table)["role"].value_exact<std::string>();
            auto pin = (*table)["pin"].value_exact<std::string>();
            if (!id || !valid_id(*id) || !name || !role || !pin || (*role != "agent" && *role != "technician")
                || !pin->starts_with("scrypt$"))
                return fail(table, "an agent needs id, name, role (agent or technician) and a scrypt pin hash");
            agent.id = *id;
            agent.display_name = *name;
            agent.role = *role == "technician" ? AgentRole::technician : AgentRole::agent;
            agent.pin_hash = *pin;
            agent.badge_hash = (*table)["badge"].value_or(std::string());
            if (store.find(agent.id))
                return fail(table, "agent '" + agent.id + "' is listed twice");
            store.m_agents.push_back(std::move(agent));
        }
    }
    return store;
}

Result<void> AgentStore::save(std::filesystem::path const& file) const
{
    toml::array agents;
    for (auto const& agent : m_agents) {
        toml::table entry { { "id", agent.id }, { "name", agent.display_name },
            { "role", std::string(to_string(agent.role)) }, { "pin", agent.pin_hash } };
        if (!agent.badge_hash.empty())
            entry.insert("badge", agent.badge_hash);
        agents.push_back(std::move(entry));
    }
    toml::table root { { "badge_salt", m_badge_salt }, { "agent", std::move(agents) } };
    std::ostringstream text;
    text << "# France Services kiosk agents, managed by `kiosk agent`. PINs and badges are stored as salted hashes "
            "only.\n"
         << root << "\n";

    std::error_code ec;
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path(), ec);
    auto temporary = file;
    temporary += ".tmp";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return make_error(ErrorCode::io, "cannot write " + temporary.string());
    // The file the new one replaces gives its group and its group's read right: on a kiosk that is the kiosk's
    // user, which must read the file (0640 root:france-services-kiosk). Never a write right, never others'.
    struct stat before { };
    bool ok = true;
    if (::lstat(file.c_str(), &before) == 0 && S_ISREG(before.st_mode))
        ok = ::fchown(fd, static_cast<uid_t>(-1), before.st_gid) == 0
            && ::fchmod(fd, static_cast<mode_t>(0600 | (before.st_mode & S_IRGRP))) == 0;
    std::string const content = text.str();
    ok = ok && ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || std::rename(temporary.c_str(), file.c_str()) != 0) {
        std::filesystem::remove(temporary, ec);
        return make_error(ErrorCode::io, "cannot write " + file.string());
    }
    return {};
}

Agent const* AgentStore::find(std::string const& id) const
{
    for (auto const& agent : m_agents)
        if (agent.id == id)
            return &agent;
    return nullptr;
}

Result<void> AgentStore::add(
    std::string const& id, std::string const& display_name, AgentRole role, std::string_view pin)
{
    if (!valid_id(id))
        return make_error(ErrorCode::usage, "an agent id is 1 to 64 characters of a-z, 0-9, '.', '-' and '_'");
    if (find(id))
        return make_error(ErrorCode::usage, "agent '" + id + "' already exists");
    if (display_name.empty() || display_name.size() > 80)
        return make_error(ErrorCode::usage, "a display name is 1 to 80 characters");
    Agent agent { id, display_name, role, TRY(hash_pin(pin)), {} };
    m_agents.push_back(std::move(agent));
    return {};
}

Result<void> AgentStore::remove(std::string const& id)
{
    auto it = std::find_if(m_agents.begin(), m_agents.end(), [&](Agent const& a) { return a.id == id; });
    if (it == m_agents.end())
        return make_error(ErrorCode::not_found, "no agent '" + id + "'");
    m_agents.erase(it);
    return {};
}

Result<void> AgentStore::set_pin(std::string const& id, std::string_view pin)
{
    auto it = std::find_if(m_agents.begin(), m_agents.end(), [&](Agent const& a) { return a.id == id; });
    if (it == m_agents.end())
        return make_error(ErrorCode::not_found, "no agent '" + id + "'");
    it->pin_hash = TRY(hash_pin(pin));
    return {};
}

std::string AgentStore::badge_hash(std::string_view uid) const
{
    std::string input = m_badge_salt + ":" + std::string(uid);
    unsigned char digest[32];
    unsigned int size = 0;
    EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr);
    return to_hex(std::span(digest, size));
}

Result<void> AgentStore::set_badge(std::string const& id, std::string_view uid_hex)
{
    auto uid = normalise_uid(uid_hex);
    if (!uid)
        return make_error(ErrorCode::usage, "a badge UID is 4, 7 or 10 bytes in hexadecimal");
    auto it = std::find_if(m_agents.begin(), m_agents.end(), [&](Agent const& a) { return a.id == id; });
    if (it == m_agents.end())
        return make_error(ErrorCode::not_found, "no agent '" + id + "'");
    auto hashed = badge_hash(*uid);
    for (auto const& other : m_agents)
        if (other.id != id && other.badge_hash == hashed)
            return make_error(ErrorCode::usage, "this badge already belongs to agent '" + other.id + "'");
    it->badge_hash = hashed;
    return {};
}

Agent const* AgentStore::find_by_badge(std::string_view uid_hex) const
{
    auto uid = normalise_uid(uid_hex);
    if (!uid)
        return nullptr;
    auto hashed = badge_hash(*uid);
    for (auto const& agent : m_agents)
        if (!agent.badge_hash.empty()
            && CRYPTO_memcmp(agent.badge_hash.data(), hashed.data(), std::min(hashed.size(), agent.badge_hash.size()))
                == 0
            && agent.badge_hash.size() == hashed.size())
            return &agent;
    return nullptr;
}

Agent const* AgentStore::authenticate(std::string_view pin, Agent const* badge_holder, bool agents_without_badge) const
{
    if (!is_valid_pin(pin))
        return nullptr;
    if (badge_holder)
        return verify_pin(pin, badge_holder->pin_hash) ? badge_holder : nullptr;
    if (!agents_without_badge)
        return nullptr;
    // A technician's PIN alone opens nothing, even when it is right: the diagnostics need the badge too. Every
    // agent's hash is tried, whoever matches, so the time a check takes says nothing of which PIN was right.
    Agent const* found = nullptr;
    for (auto const& agent : m_agents)
        if (verify_pin(pin, agent.pin_hash) && agent.role == AgentRole::agent && !found)
            found = &agent;
    return found;
}

std::filesystem::path unlock_state_file(std::filesystem::path const& agents_file)
{
    return agents_file.parent_path() / "unlock-state";
}

UnlockLockout load_unlock_lockout(std::filesystem::path const& file)
{
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? UnlockLockout {} : UnlockLockout { 5, 0 };
    char buffer[128] = {};
    ssize_t got = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (got == 0)
        return {}; // created empty by the package: nothing has failed yet
    long long failed = -1, until = -1;
    if (got < 0 || std::sscanf(buffer, "failed=%lld\nlocked_until=%lld\n", &failed, &until) != 2 || failed < 0
        || failed > 1000 || until < 0)
        return UnlockLockout { 5, 0 };
    return UnlockLockout { static_cast<int>(failed), static_cast<int64_t>(until) };
}

Result<void> save_unlock_lockout(std::filesystem::path const& file, UnlockLockout const& lockout)
{
    char text[128];
    int size = std::snprintf(text, sizeof text, "failed=%d\nlocked_until=%lld\n", lockout.failed,
        static_cast<long long>(lockout.locked_until_unix));
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
    if (fd < 0)
        return make_error(ErrorCode::io, "cannot write " + file.string() + ": " + std::strerror(errno));
    // A crash in the middle leaves a malformed file, which load_unlock_lockout reads as locked: never as fewer
    // failures than there were.
    bool ok
        = ::pwrite(fd, text, static_cast<size_t>(size), 0) == size && ::ftruncate(fd, size) == 0 && ::fsync(fd) == 0;
    int saved_errno = errno;
    ::close(fd);
    if (!ok)
        return make_error(ErrorCode::io, "cannot write " + file.string() + ": " + std::strerror(saved_errno));
    return {};
}

} // namespace kiosk::core
