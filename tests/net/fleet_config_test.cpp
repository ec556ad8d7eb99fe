// Tests of the fleet's central configuration against a real HTTPS server on loopback (tests/net/bundle_server.py):
// a good bundle installed, a 304 that downloads nothing, and every failure keeping the last good bundle.
#include "kiosk/net/fleet_config.h"

#include "kiosk/core/config.h"
#include "tests/net/fleet_server.h"
#include "tests/support/small_tmpfs.h"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>

using namespace kiosk;
using namespace kiosk::net;
using namespace std::chrono_literals;
using kiosk::tests::FleetServer;
namespace fs = std::filesystem;

namespace {

std::string const good_toml = "[session]\npage_quota = 30\n";

FleetFetchSettings settings_for(FleetServer const& server, std::string const& path, fs::path const& config_dir)
{
    FleetFetchSettings settings;
    settings.url = server.url(path);
    settings.public_key = server.public_key();
    settings.ca_file = server.ca_file();
    settings.config_dir = config_dir;
    // Generous, so that a loaded machine never fails a good fetch; the slow and hanging cases set their own.
    settings.connect_timeout = 10s;
    settings.total_timeout = 20s;
    return settings;
}

struct Audit {
    core::ManualClock clock;
    core::AuditLog log = core::AuditLog::open("", clock).value();
    std::string last() const
    {
        auto lines = log.recent();
        return lines.empty() ? std::string() : lines.back();
    }
};

// What must hold after any failure: the good bundle still current, whole, and nothing half-made beside it.
void check_good_bundle_kept(fs::path const& config_dir, std::string const& good_version)
{
    auto bundle = installed_bundle(config_dir);
    REQUIRE(bundle);
    CHECK(bundle->version == good_version);
    CHECK(kiosk::tests::read_text(bundle->kiosk_toml) == good_toml);
    auto config = core::load_config(bundle->kiosk_toml);
    REQUIRE(config);
    CHECK(config->page_quota == 30);
    std::vector<std::string> left;
    for (auto const& entry : fs::directory_iterator(config_dir / "bundles"))
        left.push_back(entry.path().filename().string());
    CHECK(left == std::vector<std::string> { good_version });
}

int closed_port()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd); // nobody listens there any more
    return ntohs(address.sin_port);
}

} // namespace

TEST_CASE("a signed bundle is installed, and asked again it is not downloaded again (If-None-Match, 304)")
{
    FleetServer server;
    kiosk::tests::TempDir state("kiosk-fleet-state");
    auto version = server.publish("good", { { "kiosk.toml", good_toml } });
    REQUIRE(version.size() == 64);
    Audit audit;
    auto settings = settings_for(server, "good/bundle.tar", state.path());

    auto first = fetch_fleet_config(settings, audit.log);
    INFO((first.error ? first.error->detail : std::string()));
    REQUIRE(first.result == FetchResult::installed);
    CHECK(first.changed());
    CHECK(first.version == version);
    check_good_bundle_kept(state.path(), version);
    CHECK(fs::read_symlink(state.path() / "current") == fs::path("bundles") / version);
    CHECK(audit.last().find(R"("event":"config_fetch","result":"installed","version":")" + version + "\"")
        != std::string::npos);

    auto second = fetch_fleet_config(settings, audit.log);
    CHECK(second.result == FetchResult::unchanged);
    CHECK_FALSE(second.changed());
    CHECK(second.version == version);
    CHECK(audit.last().find(R"("result":"unchanged")") != std::string::npos);
    // The second request named the ETag, the server answered 304, and the signature was not asked for again.
    auto requests = server.requests();
    INFO(requests);
    CHECK(requests.find("/good/bundle.tar 200 -\n/good/bundle.tar.sig 200 -\n/good/bundle.tar 304 \"")
        != std::string::npos);
    check_good_bundle_kept(state.path(), version);
}

TEST_CASE("a newer bundle takes the place of the current one at once, the one before stays, older ones go")
{
    FleetServer server;
    kiosk::tests::TempDir state("kiosk-fleet-state");
    Audit audit;
    auto settings = settings_for(server, "live/bundle.tar", state.path());
    // What an attempt killed while unpacking left goes with the next attempt.
    std::filesystem::create_directories(state.path() / "bundles/.staging-killed/assets");
    std::vector<std::string> versions;
    for (int quota : { 30, 31, 32 }) {
        versions.push_back(
            server.publish("live", { { "kiosk.toml", "[session]\npage_quota = " + std::to_string(quota) + "\n" } }));
        auto outcome = fetch_fleet_config(settings, audit.log);
        REQUIRE(outcome.result == FetchResult::installed);
        CHECK(outcome.version == versions.back());
        auto bundle = installed_bundle(state.path());
        REQUIRE(bundle);
        CHECK(core::load_config(bundle->kiosk_toml).value().page_quota == quota);
    }
    CHECK(fs::exists(state.path() / "bundles" / versions[1]));
    CHECK(fs::exists(state.path() / "bundles" / versions[2]));
    CHECK_FALSE(fs::exists(state.path() / "bundles" / versions[0]));
    CHECK_FALSE(fs::exists(state.path() / "bundles/.staging-killed"));

    // The same bytes served again under a new ETag (another server, say) are not installed twice.
    fs::remove(state.path() / "etag");
    auto again = fetch_fleet_config(settings, audit.log);
    CHECK(again.result == FetchResult::unchanged);
    CHECK(again.version == versions[2]);
}

TEST_CASE("every failure to fetch, verify or validate keeps the last good bundle, and says where it failed")
{
    struct Case {
        std::string name;
        std::string path;
        std::string stage;
        std::string says;
    };
    std::vector<Case> const cases {
        { "tampered after signing", "tampered/bundle.tar", "signature", "the signature does not match" },
        { "signed with another key", "stranger/bundle.tar", "signature", "the signature does not match" },
        { "signature missing", "unsigned/bundle.tar", "download", "unsigned/bundle.tar.sig: HTTP status 404" },
        { "signature of the wrong length", "short-signature/bundle.tar", "signature", "signature of 63 bytes" },
        { "truncated download", "truncated/good/bundle.tar", "download", "download cut short" },
        { "slow server", "slow/good/bundle.tar", "download", "timed out" },
        { "hanging server", "hang/good/bundle.tar", "download", "timed out" },
        { "valid signature over an invalid configuration", "invalid/bundle.tar", "validation",
            "/kiosk.toml:2: key 'session.page_quota': must be a whole number from 0 to 1000" },
        { "a bundle with a [network] section", "network/bundle.tar", "validation",
            "key 'network': belongs to the kiosk's own file, not to a bundle" },
        { "a bundle without kiosk.toml", "no-config/bundle.tar", "bundle", "bundle: no kiosk.toml" },
        { "a bundle with files outside assets/", "stray/bundle.tar", "bundle", "unexpected entry 'etc/profile'" },
        { "a bundle with a symbolic link", "symlink/bundle.tar", "bundle", "link 'assets/catalogue.toml'" },
        { "not found", "nowhere/bundle.tar", "download", "HTTP status 404" },
        { "wrong host name in the certificate", "wrong-name", "download",
            "no alternative certificate subject name matches target host name '127.0.0.1'" },
        { "certificate of another CA", "other-ca", "download",
            "SSL certificate problem: unable to get local issuer certificate" },
        { "no ca_file: the system's CAs, which do not know the test CA", "system-cas", "download",
            "SSL certificate problem: unable to get local issuer certificate" },
        { "server unreachable", "unreachable", "download", "Failed to connect to localhost" },
        { "larger than the limit", "too-large", "download", "larger than 2000 bytes" },
    };
    // One server for every case (a test CA and a server start each would cost seconds); each case has a state of its
    // own, with the good bundle installed first.
    FleetServer server;
    auto good = server.publish("good", { { "kiosk.toml", good_toml } });
    {

        server.publish("tampered", { { "kiosk.toml", "[session]\npage_quota = 31\n" } });
        {
            auto tar = kiosk::tests::read_text(server.root() / "tampered/bundle.tar");
            auto at = tar.find("31");
            REQUIRE(at != std::string::npos);
            tar[at + 1] = '9'; // the same size, checksum untouched (data, not header): only the signature tells
            kiosk::tests::write_text(server.root() / "tampered/bundle.tar", tar);
        }
        server.publish("stranger", { { "kiosk.toml", "[session]\npage_quota = 31\n" } }, "stranger");
        server.publish("unsigned", { { "kiosk.toml", "[session]\npage_quota = 31\n" } });
        fs::remove(server.root() / "unsigned/bundle.tar.sig");
        server.publish("short-signature", { { "kiosk.toml", "[session]\npage_quota = 31\n" } });
        kiosk::tests::write_text(server.root() / "short-signature/bundle.tar.sig",
            kiosk::tests::read_text(server.root() / "short-signature/bundle.tar.sig").substr(0, 63));
        server.publish("invalid", { { "kiosk.toml", "[session]\npage_quota = \"many\"\n" } });
        server.publish("network",
            { { "kiosk.toml",
                "[network]\nconfig_url = \"https://elsewhere.test/b.tar\"\nconfig_pubkey = \"/k.pem\"\n" } });
        server.publish("no-config", { { "assets/readme.txt", "x" } });
        server.publish("stray", { { "kiosk.toml", good_toml }, { "etc/profile", "x" } });
        {
            auto src = server.dir() / "src-symlink";
            fs::create_directories(src / "assets");
            kiosk::tests::write_text(src / "kiosk.toml", good_toml);
            fs::create_symlink("/etc/passwd", src / "assets/catalogue.toml");
            fs::create_directories(server.root() / "symlink");
            kiosk::tests::run_or_fail("cd " + src.string() + " && tar --format=gnu -cf "
                + (server.root() / "symlink/bundle.tar").string() + " kiosk.toml assets");
            server.sign("symlink");
        }
    }

    for (auto const& which : cases) {
        INFO(which.name);
        kiosk::tests::TempDir state("kiosk-fleet-state");
        Audit audit;
        auto first = fetch_fleet_config(settings_for(server, "good/bundle.tar", state.path()), audit.log);
        REQUIRE(first.result == FetchResult::installed);

        auto settings = settings_for(server, which.path, state.path());
        if (which.path == "wrong-name")
            settings.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/good/bundle.tar";
        if (which.path == "other-ca") {
            settings.url = server.url("good/bundle.tar");
            settings.ca_file = server.other_ca_file();
            fs::remove(state.path() / "etag"); // so that the server is asked for the bundle, not a 304
        }
        if (which.path == "system-cas") {
            settings.url = server.url("good/bundle.tar");
            settings.ca_file.clear();
            fs::remove(state.path() / "etag");
        }
        bool const stalls = which.path.starts_with("slow/") || which.path.starts_with("hang/");
        if (stalls)
            settings.total_timeout = 1500ms;
        if (which.path == "unreachable")
            settings.url = "https://localhost:" + std::to_string(closed_port()) + "/good/bundle.tar";
        if (which.path == "too-large") {
            settings.url = server.url("stranger/bundle.tar");
            settings.max_bundle_bytes = 2000; // GNU tar writes 10,240 bytes at least
        }

        auto started = std::chrono::steady_clock::now();
        auto outcome = fetch_fleet_config(settings, audit.log);
        auto took = std::chrono::steady_clock::now() - started;
        if (!outcome.error) {
            FAIL_CHECK("the attempt did not fail");
            continue;
        }
        INFO(outcome.error->detail);
        CHECK(outcome.result == FetchResult::failed);
        CHECK_FALSE(outcome.changed());
        CHECK(outcome.stage == which.stage);
        CHECK(outcome.error->detail.find(which.says) != std::string::npos);
        CHECK(outcome.version == good);
        // The timeout, not the server, ends a slow or hanging download: seconds, not minutes.
        if (stalls) {
            CHECK(took >= 1400ms);
            CHECK(took < 6s);
        }
        check_good_bundle_kept(state.path(), good);
        auto line = audit.last();
        CHECK(line.find(R"("event":"config_fetch","result":"failed","version":")" + good + R"(","stage":")"
                  + which.stage + "\"")
            != std::string::npos);
    }
}

TEST_CASE("a fetch from a hanging server ends at once when the kiosk cancels it, and keeps the last good bundle")
{
    FleetServer server;
    kiosk::tests::TempDir state("kiosk-fleet-state");
    Audit audit;
    auto good = server.publish("good", { { "kiosk.toml", good_toml } });
    REQUIRE(fetch_fleet_config(settings_for(server, "good/bundle.tar", state.path()), audit.log).result
        == FetchResult::installed);
    std::atomic<bool> cancel = false;
    auto settings = settings_for(server, "hang/good/bundle.tar", state.path());
    settings.total_timeout = 60s;
    settings.cancel = &cancel;
    auto started = std::chrono::steady_clock::now();
    std::thread stopper([&] {
        std::this_thread::sleep_for(300ms);
        cancel = true;
    });
    auto outcome = fetch_fleet_config(settings, audit.log);
    stopper.join();
    auto took = std::chrono::steady_clock::now() - started;
    REQUIRE(outcome.error);
    CHECK(outcome.error->code == ErrorCode::cancelled);
    CHECK(outcome.stage == "download");
    CHECK(took < 5s); // the 60 s timeout did not end it
    check_good_bundle_kept(state.path(), good);
}

TEST_CASE("the same error as a local file: a bundle's configuration is read by the kiosk's own parser")
{
    FleetServer server;
    kiosk::tests::TempDir state("kiosk-fleet-state");
    Audit audit;
    std::string text = "[display]\nwidth = 100\n";
    server.publish("invalid", { { "kiosk.toml", text } });
    auto outcome = fetch_fleet_config(settings_for(server, "invalid/bundle.tar", state.path()), audit.log);
    REQUIRE(outcome.error);
    auto local = core::parse_config(text, "X");
    REQUIRE_FALSE(local);
    std::string without_source = local.error().detail.substr(1); // ":2: key 'display.width': …"
    CHECK(outcome.error->detail.ends_with("/kiosk.toml" + without_source));
    CHECK(outcome.error->code == ErrorCode::config_invalid);
    // Nothing was ever installed, and nothing is now.
    CHECK(outcome.version.empty());
    CHECK_FALSE(installed_bundle(state.path()));
    CHECK(fs::is_empty(state.path() / "bundles"));
}

TEST_CASE("a disk that fills up while a bundle is unpacked leaves the last good bundle in use")
{
    FleetServer server;
    kiosk::tests::TempDir scratch("kiosk-fleet-tmpfs");
    kiosk::tests::SmallTmpfs tmpfs(scratch.path() / "state", "size=256k,mode=0700");
    if (!tmpfs.mounted()) {
        WARN("SKIPPED: cannot mount a tmpfs on " << scratch.path() << " (" << tmpfs.error()
                                                 << "); a full disk is not tested");
        return;
    }
    auto state = scratch.path() / "state";
    Audit audit;
    auto good = server.publish("good", { { "kiosk.toml", good_toml } });
    REQUIRE(
        fetch_fleet_config(settings_for(server, "good/bundle.tar", state), audit.log).result == FetchResult::installed);
    // 400 KB of a form that does not compress away: more than the tmpfs holds.
    std::string form;
    for (int i = 0; form.size() < 400 * 1024; ++i)
        form += std::to_string(i * 7919 % 104729) + ",";
    server.publish("big", { { "kiosk.toml", good_toml }, { "assets/forms/big.pdf", form } });
    auto outcome = fetch_fleet_config(settings_for(server, "big/bundle.tar", state), audit.log);
    REQUIRE(outcome.error);
    INFO(outcome.error->detail);
    CHECK(outcome.stage == "install");
    CHECK(outcome.error->code == ErrorCode::io);
    CHECK(outcome.error->detail.find("disk full") != std::string::npos);
    CHECK(outcome.version == good);
    check_good_bundle_kept(state, good);
    tmpfs.unmount();
}

TEST_CASE("a bundle's assets are checked with the kiosk's loaders and used when the bundle is applied")
{
    FleetServer server;
    kiosk::tests::TempDir state("kiosk-fleet-state");
    Audit audit;
    std::map<std::string, std::string> files { { "kiosk.toml", good_toml } };
    for (auto const* asset : { "catalogue.toml", "i18n/fr.toml", "i18n/en.toml", "forms/index.toml" })
        files[std::string("assets/") + asset] = kiosk::tests::read_text(fs::path(KIOSK_SOURCE_DIR) / "assets" / asset);
    auto broken = files;
    broken["assets/catalogue.toml"] += "\n[[partner]]\nslug = 3\n";
    server.publish("broken-assets", broken);
    auto version = server.publish("assets", files, "fleet", "--format=pax");

    auto refused = fetch_fleet_config(settings_for(server, "broken-assets/bundle.tar", state.path()), audit.log);
    REQUIRE(refused.error);
    CHECK(refused.stage == "validation");
    INFO(refused.error->detail);
    CHECK(refused.error->detail.find("/assets/catalogue.toml:") != std::string::npos);

    auto outcome = fetch_fleet_config(settings_for(server, "assets/bundle.tar", state.path()), audit.log);
    INFO((outcome.error ? outcome.error->detail : std::string()));
    REQUIRE(outcome.result == FetchResult::installed);
    auto bundle = installed_bundle(state.path());
    REQUIRE(bundle);
    REQUIRE(bundle->assets_dir);
    CHECK(kiosk::tests::read_text(*bundle->assets_dir / "catalogue.toml") == files["assets/catalogue.toml"]);

    core::NetworkConfig local;
    local.config_url = "https://fleet.test/bundle.tar";
    local.config_pubkey = "/etc/fleet.pub";
    auto applied = load_bundle_config(*bundle, local);
    REQUIRE(applied);
    CHECK(applied->assets_dir == *bundle->assets_dir);
    CHECK(applied->page_quota == 30);
    CHECK(applied->network.config_url == local.config_url);
    CHECK(applied->network.config_pubkey == local.config_pubkey);
}

TEST_CASE("after failures the next attempt backs off 1, 2, 4… minutes up to the interval, spread by ±20 %")
{
    CHECK(next_fetch_delay(0, 60min, 0.5) == 3600s);
    CHECK(next_fetch_delay(1, 60min, 0.5) == 60s);
    CHECK(next_fetch_delay(2, 60min, 0.5) == 120s);
    CHECK(next_fetch_delay(3, 60min, 0.5) == 240s);
    CHECK(next_fetch_delay(6, 60min, 0.5) == 1920s);
    CHECK(next_fetch_delay(7, 60min, 0.5) == 3600s);
    CHECK(next_fetch_delay(1000, 60min, 0.5) == 3600s);
    CHECK(next_fetch_delay(1, 60min, 0.0) == 48s);
    CHECK(next_fetch_delay(1, 60min, 1.0) == 72s);
    CHECK(next_fetch_delay(0, 15min, 0.0) == 720s);
    CHECK(next_fetch_delay(3, 2min, 0.5) == 120s);
}
