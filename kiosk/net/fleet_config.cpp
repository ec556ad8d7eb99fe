// One attempt at the fleet's configuration, from the download to the rename that makes it current.
#include "kiosk/net/fleet_config.h"

#include "kiosk/core/catalogue.h"
#include "kiosk/core/file_descriptor.h"
#include "kiosk/core/forms.h"
#include "kiosk/core/hex.h"
#include "kiosk/core/i18n.h"
#include "kiosk/core/languages.h"
#include "kiosk/net/http_fetch.h"
#include "kiosk/net/signature.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace kiosk::net {

namespace fs = std::filesystem;

namespace {

// An attempt's failure: where it happened and the error.
struct Failure {
    std::string stage;
    Error error;
};

template<typename T>
using Step = std::expected<T, Failure>;

template<typename T>
Step<T> at(std::string stage, Result<T> result)
{
    if (!result)
        return std::unexpected(Failure { std::move(stage), std::move(result).error() });
    if constexpr (std::is_void_v<T>)
        return {};
    else
        return std::move(result).value();
}

std::unexpected<Failure> fail(std::string stage, ErrorCode code, std::string detail)
{
    return std::unexpected(Failure { std::move(stage), Error { code, std::move(detail) } });
}

using core::FileDescriptor;

Result<void> sync_dir(fs::path const& dir)
{
    FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0)
        return make_error(ErrorCode::io, dir.string() + ": cannot sync");
    return {};
}

// A new file (never through a link: O_EXCL, O_NOFOLLOW), written whole and flushed to the disk.
Result<void> write_new_file(fs::path const& path, std::string_view data)
{
    FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.get() < 0)
        return make_error(ErrorCode::io, path.string() + ": cannot create");
    while (!data.empty()) {
        ssize_t written = ::write(fd.get(), data.data(), data.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return make_error(ErrorCode::io, path.string() + ": cannot write (disk full?)");
        data.remove_prefix(static_cast<size_t>(written));
    }
    if (::fsync(fd.get()) != 0)
        return make_error(ErrorCode::io, path.string() + ": cannot sync");
    return {};
}

std::string sha256_hex(std::span<const unsigned char> data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        return {};
    return to_hex(std::span<const unsigned char>(digest, length));
}

// The ETag file: the address on the first line, the ETag on the second.
std::string stored_etag(fs::path const& config_dir, std::string const& url)
{
    std::ifstream file(config_dir / "etag");
    std::string stored_url;
    std::string etag;
    if (!std::getline(file, stored_url) || !std::getline(file, etag) || stored_url != url)
        return {};
    return etag;
}

Result<void> store_etag(fs::path const& config_dir, std::string const& url, std::string const& etag)
{
    auto temporary = config_dir / "etag.new";
    std::error_code ec;
    fs::remove(temporary, ec);
    TRY(write_new_file(temporary, url + "\n" + etag + "\n"));
    if (::rename(temporary.c_str(), (config_dir / "etag").c_str()) != 0)
        return make_error(ErrorCode::io, (config_dir / "etag").string() + ": cannot replace");
    return {};
}

// A bundle holds kiosk.toml at its top and, optionally, assets/ with what is under it; nothing else.
Result<void> check_layout(std::vector<TarEntry> const& entries)
{
    bool has_config = false;
    for (auto const& entry : entries) {
        if (entry.path == "kiosk.toml" && entry.kind == TarEntry::Kind::file)
            has_config = true;
        else if (entry.path != "assets" && !entry.path.starts_with("assets/"))
            return make_error(ErrorCode::config_invalid,
                "bundle: unexpected entry '" + entry.path + "' (a bundle holds kiosk.toml and assets/ only)");
        else if (entry.path == "assets" && entry.kind == TarEntry::Kind::file)
            return make_error(ErrorCode::config_invalid, "bundle: 'assets' must be a folder");
    }
    if (!has_config)
        return make_error(ErrorCode::config_invalid, "bundle: no kiosk.toml");
    return {};
}

Result<void> unpack(std::vector<TarEntry> const& entries, fs::path const& into)
{
    // Folders first, parents before children (paths are checked: no "..", no links), so every file has its folder.
    std::vector<fs::path> folders;
    for (auto const& entry : entries) {
        auto path = fs::path(entry.path);
        for (auto parent = entry.kind == TarEntry::Kind::directory ? path : path.parent_path(); !parent.empty();
             parent = parent.parent_path())
            folders.push_back(parent);
    }
    std::ranges::sort(folders, [](auto const& a, auto const& b) { return a.string().size() < b.string().size(); });
    for (auto const& folder : folders) {
        if (::mkdir((into / folder).c_str(), 0755) != 0 && errno != EEXIST)
            return make_error(ErrorCode::io, (into / folder).string() + ": cannot create");
    }
    for (auto const& entry : entries)
        if (entry.kind == TarEntry::Kind::file)
            TRY(write_new_file(into / entry.path, entry.data));
    return {};
}

// The same checks as `kiosk run` makes of local files, with the same loaders and therefore the same messages.
Result<void> validate(fs::path const& dir)
{
    auto config = TRY(core::load_config(dir / "kiosk.toml"));
    if (config.network.config_url != core::NetworkConfig {}.config_url || !config.network.config_pubkey.empty()
        || !config.network.ca_file.empty() || !config.network.config_dir.empty()
        || config.network.config_interval_minutes != core::NetworkConfig {}.config_interval_minutes)
        return make_error(ErrorCode::config_invalid,
            (dir / "kiosk.toml").string() + ": key 'network': belongs to the kiosk's own file, not to a bundle");
    std::error_code ec;
    fs::path assets = fs::is_directory(dir / "assets", ec) ? dir / "assets"
        : !config.assets_dir.empty()                       ? config.assets_dir
                                                           : core::default_assets_dir();
    auto catalogue = TRY(core::load_catalogue(assets / "catalogue.toml"));
    TRY(core::Translations::load(assets / "i18n", core::offered_languages(assets / "i18n")));
    TRY(core::load_forms(assets / "forms" / "index.toml", catalogue));
    return {};
}

// Removes a folder unless it was handed on (release()).
class Staging {
public:
    explicit Staging(fs::path path)
        : m_path(std::move(path))
    {
    }
    Staging(Staging const&) = delete;
    Staging& operator=(Staging const&) = delete;
    ~Staging()
    {
        if (!m_path.empty()) {
            std::error_code ec;
            fs::remove_all(m_path, ec);
        }
    }
    fs::path const& path() const { return m_path; }
    void release() { m_path.clear(); }

private:
    fs::path m_path;
};

Result<fs::path> make_staging(fs::path const& bundles)
{
    std::string pattern = (bundles / ".staging-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        return make_error(ErrorCode::io, bundles.string() + ": cannot create a folder");
    ::chmod(pattern.c_str(), 0755);
    return fs::path(pattern);
}

Result<void> make_current(fs::path const& config_dir, std::string const& version, fs::path const& unpacked)
{
    auto bundles = config_dir / "bundles";
    auto final_dir = bundles / version;
    std::error_code ec;
    // Left by an attempt that stopped between this rename and the swap below: never current, so free to replace.
    fs::remove_all(final_dir, ec);
    if (::rename(unpacked.c_str(), final_dir.c_str()) != 0)
        return make_error(ErrorCode::io, final_dir.string() + ": cannot install");
    TRY(sync_dir(bundles));
    auto link = config_dir / "current.new";
    fs::remove(link, ec);
    if (::symlink(("bundles/" + version).c_str(), link.c_str()) != 0)
        return make_error(ErrorCode::io, link.string() + ": cannot create");
    // rename(2) over the old link: a reader resolves either the old bundle or the new one, never neither.
    if (::rename(link.c_str(), (config_dir / "current").c_str()) != 0)
        return make_error(ErrorCode::io, (config_dir / "current").string() + ": cannot replace");
    return sync_dir(config_dir);
}

// Keeps the current bundle and the one before it (a kiosk may still be reading it until its next session).
void remove_old_bundles(fs::path const& config_dir, std::string const& current, std::string const& previous)
{
    std::error_code ec;
    for (auto const& entry : fs::directory_iterator(config_dir / "bundles", ec)) {
        auto name = entry.path().filename().string();
        if (name != current && name != previous)
            fs::remove_all(entry.path(), ec);
    }
}

Step<FetchOutcome> attempt(FleetFetchSettings const& settings)
{
    if (settings.url.empty())
        return fail("download", ErrorCode::config_invalid, "no [network] config_url in the configuration");
    std::error_code ec;
    fs::create_directories(settings.config_dir / "bundles", ec);
    if (ec)
        return fail("install", ErrorCode::io, (settings.config_dir / "bundles").string() + ": cannot create");
    FileDescriptor lock(::open((settings.config_dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (lock.get() < 0 || ::flock(lock.get(), LOCK_EX) != 0)
        return fail("install", ErrorCode::io, (settings.config_dir / "lock").string() + ": cannot lock");

    // Under the lock no other attempt runs: a staging folder now is what a killed attempt left.
    for (auto const& entry : fs::directory_iterator(settings.config_dir / "bundles", ec))
        if (entry.path().filename().string().starts_with(".staging-"))
            fs::remove_all(entry.path(), ec);

    auto current = installed_bundle(settings.config_dir);
    FetchOutcome outcome;
    outcome.version = current ? current->version : std::string();

    HttpRequest request { settings.url, settings.ca_file, settings.connect_timeout, settings.total_timeout,
        settings.max_bundle_bytes, current ? stored_etag(settings.config_dir, settings.url) : std::string(),
        settings.cancel };
    auto bundle = TRY(at("download", http_get(request)));
    if (bundle.status == 304) {
        if (!current)
            return fail("download", ErrorCode::request_failed, settings.url + ": 304 Not Modified, but no bundle here");
        outcome.result = FetchResult::unchanged;
        return outcome;
    }
    request.url = settings.url + ".sig";
    request.if_none_match.clear();
    request.max_bytes = 1024;
    auto signature = TRY(at("download", http_get(request)));
    if (signature.status != 200)
        return fail(
            "download", ErrorCode::request_failed, request.url + ": HTTP status " + std::to_string(signature.status));
    TRY(at("signature", verify_ed25519(bundle.body, signature.body, settings.public_key)));

    auto version = sha256_hex(bundle.body);
    if (version.empty())
        return fail("signature", ErrorCode::crypto, "cannot compute SHA-256");
    if (current && current->version == version) {
        TRY(at("install", store_etag(settings.config_dir, settings.url, bundle.etag)));
        outcome.result = FetchResult::unchanged;
        return outcome;
    }

    auto entries = TRY(at("bundle", read_tar(bundle.body, settings.limits)));
    TRY(at("bundle", check_layout(entries)));
    Staging staging(TRY(at("install", make_staging(settings.config_dir / "bundles"))));
    TRY(at("install", unpack(entries, staging.path())));
    TRY(at("validation", validate(staging.path())));
    TRY(at("install", make_current(settings.config_dir, version, staging.path())));
    staging.release();
    // The bundle is current now, whatever comes next: an ETag that cannot be kept costs one more download, no more.
    if (!store_etag(settings.config_dir, settings.url, bundle.etag)) {
        std::error_code ignored;
        fs::remove(settings.config_dir / "etag", ignored);
    }
    remove_old_bundles(settings.config_dir, version, current ? current->version : std::string());
    outcome.result = FetchResult::installed;
    outcome.version = version;
    return outcome;
}

std::string_view name_of(FetchResult result)
{
    switch (result) {
    case FetchResult::installed: return "installed";
    case FetchResult::unchanged: return "unchanged";
    case FetchResult::failed: return "failed";
    }
    return "failed";
}

} // namespace

FleetFetchSettings fetch_settings_from(core::NetworkConfig const& network)
{
    FleetFetchSettings settings;
    settings.url = network.config_url;
    settings.public_key = network.config_pubkey;
    settings.ca_file = network.ca_file;
    settings.config_dir = network.config_dir.empty() ? core::default_fleet_config_dir() : network.config_dir;
    return settings;
}

FetchOutcome fetch_fleet_config(FleetFetchSettings const& settings, core::AuditLog& audit)
{
    FetchOutcome outcome;
    try {
        auto step = attempt(settings);
        if (step) {
            outcome = std::move(*step);
        } else {
            auto current = installed_bundle(settings.config_dir);
            outcome.result = FetchResult::failed;
            outcome.version = current ? current->version : std::string();
            outcome.stage = std::move(step.error().stage);
            outcome.error = std::move(step.error().error);
        }
    } catch (std::exception const& exception) {
        // A filesystem or allocation exception is a bug of ours; the kiosk keeps its configuration all the same.
        auto current = installed_bundle(settings.config_dir);
        outcome.result = FetchResult::failed;
        outcome.version = current ? current->version : std::string();
        outcome.stage = "internal";
        outcome.error = Error { ErrorCode::internal, exception.what() };
    }
    if (outcome.error) {
        // Addresses, file names and line numbers of the fleet's own files: nothing about a resident.
        std::string detail = outcome.error->detail.substr(0, 400);
        audit.record("config_fetch",
            { { "result", name_of(outcome.result) }, { "version", std::string_view(outcome.version) },
                { "stage", std::string_view(outcome.stage) }, { "error", std::string_view(detail) } });
    } else {
        audit.record("config_fetch",
            { { "result", name_of(outcome.result) }, { "version", std::string_view(outcome.version) } });
    }
    return outcome;
}

std::optional<InstalledBundle> installed_bundle(fs::path const& config_dir)
{
    std::error_code ec;
    auto target = fs::read_symlink(config_dir / "current", ec);
    if (ec || target.parent_path() != "bundles")
        return std::nullopt;
    InstalledBundle bundle;
    bundle.version = target.filename().string();
    bundle.dir = config_dir / target;
    bundle.kiosk_toml = bundle.dir / "kiosk.toml";
    if (!fs::is_regular_file(bundle.kiosk_toml, ec))
        return std::nullopt;
    if (fs::is_directory(bundle.dir / "assets", ec))
        bundle.assets_dir = bundle.dir / "assets";
    return bundle;
}

Result<core::Config> load_bundle_config(InstalledBundle const& bundle, core::NetworkConfig const& local_network)
{
    auto config = TRY(core::load_config(bundle.kiosk_toml));
    if (bundle.assets_dir)
        config.assets_dir = *bundle.assets_dir;
    config.network = local_network;
    return config;
}

std::chrono::seconds next_fetch_delay(int failures, std::chrono::minutes interval, double spread)
{
    using namespace std::chrono;
    seconds base = interval;
    if (failures > 0) {
        int doublings = std::min(failures - 1, 20);
        base = std::min<seconds>(interval, minutes(1) * (int64_t { 1 } << doublings));
    }
    double factor = 0.8 + 0.4 * std::clamp(spread, 0.0, 1.0);
    return seconds(std::max<int64_t>(1, std::llround(static_cast<double>(base.count()) * factor)));
}

void keep_fleet_config(FleetFetchSettings settings, std::chrono::minutes interval, core::AuditLog& audit,
    std::atomic<bool> const& stopping, std::function<void()> const& installed)
{
    settings.cancel = &stopping;
    std::mt19937 random { std::random_device {}() };
    std::uniform_real_distribution<double> spread(0.0, 1.0);
    int failures = 0;
    auto next = std::chrono::steady_clock::now(); // the first attempt at once: a kiosk starting wants the latest
    while (!stopping) {
        if (std::chrono::steady_clock::now() < next) {
            // Once a second at most, between attempts an hour apart: the kiosk stopping waits a second at worst.
            std::this_thread::sleep_for(std::chrono::seconds(1));
            continue;
        }
        auto outcome = fetch_fleet_config(settings, audit);
        failures = outcome.result == FetchResult::failed ? failures + 1 : 0;
        if (outcome.changed())
            installed();
        next = std::chrono::steady_clock::now() + next_fetch_delay(failures, interval, spread(random));
    }
}

} // namespace kiosk::net
