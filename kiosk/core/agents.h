// Agents and technicians who may unlock the kiosk: PINs and badges stored only as salted hashes.
#pragma once

#include "kiosk/core/error.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

enum class AgentRole { agent, technician };
std::string_view to_string(AgentRole role);

struct Agent {
    std::string id; // short, stable: "m.martin"
    std::string display_name; // shown on the assisted screen
    AgentRole role = AgentRole::agent;
    std::string pin_hash; // "scrypt$N$r$p$salt$hash", base64 parts
    std::string badge_hash; // hex SHA-256 of the store's salt and the UID; empty when no badge
};

// scrypt parameters: N = 2^15, r = 8, p = 1 (32 MiB of memory, about 0.1 s on a kiosk PC): slow enough
// to make guessing a 6-12 digit PIN from a stolen file costly, fast enough that an agent does not wait.
struct PinHashParameters {
    uint64_t n = 1u << 15;
    uint64_t r = 8;
    uint64_t p = 1;
};

Result<std::string> hash_pin(std::string_view pin, PinHashParameters parameters = {});
// Constant-time comparison of the derived key; false for a malformed hash.
bool verify_pin(std::string_view pin, std::string_view pin_hash);
// 6 to 12 digits: a million PINs at least, against the five tries before the pad locks.
constexpr size_t min_pin_digits = 6;
constexpr size_t max_pin_digits = 12;
bool is_valid_pin(std::string_view pin);

// Wrong PINs in a row and until when unlocking is refused, kept in a small file so that a restart or a power cut
// does not give a guesser five new tries. The package creates it owned by root, writable by the kiosk's group, in a
// directory only root may change.
struct UnlockLockout {
    int failed = 0;
    int64_t locked_until_unix = 0; // wall-clock seconds; 0: not locked
};
// Beside the agents file: DIR/unlock-state.
std::filesystem::path unlock_state_file(std::filesystem::path const& agents_file);
// A missing file is no failure yet; an unreadable or malformed one counts as five failures, locked for the first
// step: tampering does not buy tries.
UnlockLockout load_unlock_lockout(std::filesystem::path const& file);
// Rewrites the file in place (the kiosk may not create files in its directory) and syncs it.
Result<void> save_unlock_lockout(std::filesystem::path const& file, UnlockLockout const& lockout);

class AgentStore {
public:
    // A missing file is an empty store; a malformed one is an error naming the file and line.
    static Result<AgentStore> load(std::filesystem::path const& file);
    // Atomic replace, mode 0600: the file holds hashes only, but they are still nobody else's business. A file it
    // replaces keeps its group and that group's read right (0640 root:france-services-kiosk on a kiosk).
    Result<void> save(std::filesystem::path const& file) const;

    Result<void> add(std::string const& id, std::string const& display_name, AgentRole role, std::string_view pin);
    Result<void> remove(std::string const& id);
    Result<void> set_pin(std::string const& id, std::string_view pin);
    Result<void> set_badge(std::string const& id, std::string_view uid_hex);

    std::vector<Agent> const& agents() const { return m_agents; }
    Agent const* find(std::string const& id) const;
    Agent const* find_by_badge(std::string_view uid_hex) const;

    // The agent whose PIN this is: badge_holder when a badge was shown and the PIN is theirs. Without a badge, only
    // when agents_without_badge (the configuration's agents.unlock = "pin"), and only among agents: a technician
    // always shows a badge.
    Agent const* authenticate(std::string_view pin, Agent const* badge_holder, bool agents_without_badge) const;

private:
    std::string badge_hash(std::string_view uid_hex) const;

    std::string m_badge_salt; // hex, random per store
    std::vector<Agent> m_agents;
};

} // namespace kiosk::core
