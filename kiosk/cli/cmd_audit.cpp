// `kiosk audit verify FILE [--key KEYFILE]`: checks the audit log's hash chain and names the first broken line.
#include "kiosk/cli/commands.h"
#include "kiosk/core/audit_chain.h"

#include <fstream>
#include <optional>
#include <ostream>

namespace kiosk::cli {

namespace {

Result<void> verify(std::span<const std::string> args, Streams streams)
{
    std::optional<std::filesystem::path> file;
    std::optional<std::filesystem::path> key_file;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--key") {
            if (i + 1 == args.size())
                return usage_error("--key needs a KEYFILE");
            key_file = args[++i];
        } else if (args[i].starts_with("-")) {
            return usage_error("unknown option '" + args[i] + "'");
        } else if (file) {
            return usage_error("verify takes one FILE");
        } else {
            file = args[i];
        }
    }
    if (!file)
        return usage_error("verify needs a FILE");

    std::ifstream log(*file, std::ios::binary);
    if (!log)
        return make_error(ErrorCode::usage, "cannot read " + file->string());
    // Checking needs the key but does not write with it: a copy on a technician's machine may be less guarded.
    auto key = core::load_audit_key(key_file.value_or(core::audit_key_path(*file)), core::AuditKeyUse::check);
    if (!key)
        return make_error(ErrorCode::usage, key.error().detail);

    auto verified = core::verify_audit_chain(log, *key);
    if (log.bad())
        return make_error(ErrorCode::io, "cannot read " + file->string());
    if (!verified)
        return make_error(
            ErrorCode::request_failed, "line " + std::to_string(verified.error().line) + ": " + verified.error().why);
    streams.out << "audit: " << verified->lines << " lines, chain intact";
    if (verified->dropped > 0)
        streams.out << "; " << verified->dropped << " older lines dropped by retention before line 1";
    for (auto torn : verified->torn_lines)
        streams.out << "; line " << torn << " torn by an interruption, vouched for by line " << torn + 1;
    streams.out << '\n';
    return {};
}

} // namespace

Result<void> cmd_audit(std::span<const std::string> args, Streams streams)
{
    if (args.empty() || args.front() != "verify")
        return usage_error("needs verify FILE");
    return verify(args.subspan(1), streams);
}

} // namespace kiosk::cli
