// Builds the bubblewrap command line that confines Chromium to one session's folders.
#include "drivers/browser/chromium/sandbox.h"

#include "drivers/browser/chromium/policies.h"

#include <charconv>

namespace kiosk::drivers::chromium {

namespace {

// What of /etc Chromium and Debian's launcher read: the dynamic loader's cache, names of users and hosts, time
// zone, fonts, certificates, MIME types, the launcher's flags. Not /etc as a whole: a kiosk's own configuration
// (and whatever a technician leaves there) stays out.
constexpr char const* etc_entries[] = { "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "passwd", "group", "nsswitch.conf",
    "host.conf", "hosts", "resolv.conf", "gai.conf", "localtime", "timezone", "fonts", "ssl", "ca-certificates", "pki",
    "mime.types", "xdg", "gtk-3.0", "chromium.d", "alternatives", "os-release", "debian_version", "machine-id" };

// The X server's socket for DISPLAY=":N" or ":N.S"; empty for a TCP display or none.
std::string x_socket(std::string const& display)
{
    if (!display.starts_with(':'))
        return {};
    int number = -1;
    auto begin = display.data() + 1;
    auto [end, ec] = std::from_chars(begin, display.data() + display.size(), number);
    if (ec != std::errc() || end == begin || number < 0 || (end != display.data() + display.size() && *end != '.'))
        return {};
    return "/tmp/.X11-unix/X" + std::to_string(number);
}

} // namespace

std::vector<std::string> bwrap_arguments(SandboxPlan const& plan)
{
    std::vector<std::string> args { plan.bwrap.string(), "--unshare-all", "--share-net", "--unshare-user", "--uid",
        "65534", "--gid", "65534", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr", "--symlink",
        "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin",
        "/sbin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/etc" };
    auto add = [&args](std::initializer_list<std::string> more) { args.insert(args.end(), more); };
    for (auto entry : etc_entries)
        add({ "--ro-bind-try", std::string("/etc/") + entry, std::string("/etc/") + entry });
    // The fonts' cache, so Chromium does not rebuild it at every start; the GPU's device nodes and what of /sys
    // its driver reads (absent on a machine without one).
    add({ "--ro-bind-try", "/var/cache/fontconfig", "/var/cache/fontconfig" });
    add({ "--dev-bind-try", "/dev/dri", "/dev/dri" });
    add({ "--ro-bind-try", "/sys/dev/char", "/sys/dev/char" });
    add({ "--ro-bind-try", "/sys/devices", "/sys/devices" });
    // The policy: a file of the session, read-only inside and alone in the folder Chromium reads, so neither the
    // browser's user nor another file of the host's folder can change what applies to this visit.
    add({ "--dir", managed_policy_dir, "--ro-bind", plan.policy_file.string(),
        std::string(managed_policy_dir) + "/" + std::string(policy_file_name) });
    if (!plan.program.string().starts_with("/usr/"))
        add({ "--ro-bind", plan.program.string(), plan.program.string() });
    if (auto socket = x_socket(plan.display); !socket.empty())
        add({ "--ro-bind-try", socket, socket });
    if (!plan.xauthority.empty())
        add({ "--ro-bind-try", plan.xauthority.string(), plan.xauthority.string() });
    for (auto const& folder : plan.writable)
        add({ "--bind", folder.string(), folder.string() });
    for (auto const& folder : plan.read_only)
        add({ "--ro-bind", folder.string(), folder.string() });
    // Nothing else inside is writable: the folders made for the mounts above stay as they are.
    add({ "--remount-ro", "/" });
    if (plan.info_fd >= 0)
        add({ "--info-fd", std::to_string(plan.info_fd) });
    add({ "--", plan.program.string() });
    return args;
}

} // namespace kiosk::drivers::chromium
