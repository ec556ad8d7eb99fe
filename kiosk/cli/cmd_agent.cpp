// `kiosk agent`: add, remove and list the agents and technicians who may unlock the kiosk.
#include "kiosk/cli/commands.h"

#include "kiosk/core/agents.h"
#include "kiosk/core/config.h"
#include "kiosk/core/json.h"

#include <istream>
#include <openssl/crypto.h>
#include <optional>
#include <ostream>

namespace kiosk::cli {

namespace {

// Reads the PIN from the first line of stdin, so it never shows in the process list or shell history.
std::optional<std::string> read_pin(std::istream& in)
{
    std::string line;
    if (!std::getline(in, line))
        return std::nullopt;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    return line;
}

void cleanse(std::string& secret)
{
    OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

} // namespace

Result<void> cmd_agent(std::span<const std::string> args, Streams streams)
{
    auto usage = [](std::string const& message) { return usage_error(message); };
    if (args.empty())
        return usage("needs list, add, remove, set-pin or set-badge");
    std::string const action = args[0];
    std::vector<std::string> positional;
    std::optional<std::filesystem::path> config_file, agents_file;
    std::string name;
    std::string role = "agent";
    for (size_t i = 1; i < args.size(); ++i) {
        auto const& arg = args[i];
        bool has_value = i + 1 < args.size();
        if ((arg == "--config" || arg == "--file" || arg == "--name" || arg == "--role") && !has_value)
            return usage(arg + " needs a value");
        if (arg == "--config")
            config_file = args[++i];
        else if (arg == "--file")
            agents_file = args[++i];
        else if (arg == "--name")
            name = args[++i];
        else if (arg == "--role")
            role = args[++i];
        else if (arg.starts_with("--"))
            return usage("unknown option '" + arg + "'");
        else
            positional.push_back(arg);
    }
    if (!agents_file) {
        core::Config config;
        if (config_file)
            config = TRY(core::load_config(*config_file));
        agents_file = config.agents_file.empty() ? core::default_agents_file() : config.agents_file;
    }
    auto loaded = core::AgentStore::load(*agents_file);
    // A malformed agents file is the kiosk's own file gone wrong, not bad usage: the command fails (exit 1).
    if (!loaded && loaded.error().code == ErrorCode::config_invalid)
        return make_error(ErrorCode::asset_missing, loaded.error().detail);
    auto store = TRY(std::move(loaded));

    size_t const wanted = action == "list" ? 0 : action == "set-badge" ? 2 : 1;
    if (action != "list" && action != "add" && action != "remove" && action != "set-pin" && action != "set-badge")
        return usage("unknown action '" + action + "'");
    if (positional.size() != wanted)
        return usage(action + " takes " + std::to_string(wanted) + " argument(s)");

    Result<void> result;
    if (action == "list") {
        for (auto const& agent : store.agents()) {
            JsonWriter json;
            json.begin_object().key("id").value(agent.id).key("name").value(agent.display_name);
            json.key("role")
                .value(core::to_string(agent.role))
                .key("badge")
                .value(!agent.badge_hash.empty())
                .end_object();
            streams.out << json.str() << "\n";
        }
        return {};
    } else if (action == "add" || action == "set-pin") {
        if (action == "add" && name.empty())
            return usage("add needs --name");
        if (role != "agent" && role != "technician")
            return usage("--role is agent or technician");
        auto pin = read_pin(streams.in);
        if (!pin || !core::is_valid_pin(*pin)) {
            if (pin)
                cleanse(*pin);
            return usage("the PIN (first line of stdin) must be 6 to 12 digits");
        }
        result = action == "add" ? store.add(positional[0], name,
                     role == "technician" ? core::AgentRole::technician : core::AgentRole::agent, *pin)
                                 : store.set_pin(positional[0], *pin);
        cleanse(*pin);
    } else if (action == "remove") {
        result = store.remove(positional[0]);
    } else {
        result = store.set_badge(positional[0], positional[1]);
    }
    TRY(result);
    return store.save(*agents_file);
}

} // namespace kiosk::cli
