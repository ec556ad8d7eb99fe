// The fleet's side for the tests, in a temporary folder of its own: a test CA and a certificate for "localhost"
// made with openssl, the fleet's Ed25519 key pair (and a stranger's), signed bundles made with GNU tar and
// `openssl pkeyutl -sign -rawin`, and tests/net/bundle_server.py serving them over HTTPS on a free loopback port.
#pragma once

#include "tests/support/script_server.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace kiosk::tests {

class FleetServer {
public:
    FleetServer()
        : m_dir("kiosk-fleet-test")
    {
        auto d = m_dir.path().string();
        std::filesystem::create_directories(root());
        // The test CA, a certificate for localhost only (no IP address: https://127.0.0.1 is the wrong name), and a
        // second CA that signed nothing of this server's.
        run_or_fail("cd " + d
            + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem"
              " -days 2 -subj /CN=kiosk-test-ca"
              " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key"
              " -out other-ca.pem -days 2 -subj /CN=kiosk-other-ca"
              " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr"
              " -subj /CN=localhost"
              " && printf 'subjectAltName=DNS:localhost\\n' > san.ext"
              " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
              " -extfile san.ext -out server.pem"
              " && openssl genpkey -algorithm ed25519 -out fleet.key && openssl pkey -in fleet.key -pubout -out "
              "fleet.pub"
              " && openssl genpkey -algorithm ed25519 -out stranger.key");
        auto port_file = m_dir.path() / "port";
        m_server = std::make_unique<ScriptServer>(
            std::vector<std::string> { KIOSK_SOURCE_DIR "/tests/net/bundle_server.py", root().string(),
                (m_dir.path() / "server.pem").string(), (m_dir.path() / "server.key").string(), port_file.string() },
            port_file, "the bundle server");
    }

    std::filesystem::path dir() const { return m_dir.path(); }
    std::filesystem::path root() const { return m_dir.path() / "www"; }
    std::filesystem::path ca_file() const { return m_dir.path() / "ca.pem"; }
    std::filesystem::path other_ca_file() const { return m_dir.path() / "other-ca.pem"; }
    std::filesystem::path public_key() const { return m_dir.path() / "fleet.pub"; }
    int port() const { return m_server->port(); }
    // https://localhost:PORT/PATH
    std::string url(std::string const& path) const
    {
        return "https://localhost:" + std::to_string(port()) + "/" + path;
    }

    // A bundle at www/NAME/bundle.tar made by GNU tar from files (path → content), signed with signer ("fleet" or
    // "stranger") at www/NAME/bundle.tar.sig. Returns the bundle's SHA-256, as sha256sum gives it.
    std::string publish(std::string const& name, std::map<std::string, std::string> const& files,
        std::string const& signer = "fleet", std::string const& tar_options = "--format=gnu")
    {
        auto source = m_dir.path() / ("src-" + name);
        std::filesystem::remove_all(source);
        std::filesystem::create_directories(source);
        for (auto const& [path, content] : files)
            write_text(source / path, content);
        auto out = root() / name;
        std::filesystem::create_directories(out);
        std::string list;
        for (auto const& [path, content] : files)
            list += " '" + path + "'";
        run_or_fail(
            "cd " + source.string() + " && tar " + tar_options + " -cf " + (out / "bundle.tar").string() + list);
        sign(name, signer);
        return sha256(out / "bundle.tar");
    }

    void sign(std::string const& name, std::string const& signer = "fleet")
    {
        auto out = root() / name;
        run_or_fail("openssl pkeyutl -sign -rawin -inkey " + (m_dir.path() / (signer + ".key")).string() + " -in "
            + (out / "bundle.tar").string() + " -out " + (out / "bundle.tar.sig").string());
    }

    static std::string sha256(std::filesystem::path const& file)
    {
        std::string command = "sha256sum " + file.string();
        FILE* pipe = ::popen(command.c_str(), "r");
        char buffer[65] = {};
        size_t n = pipe ? std::fread(buffer, 1, 64, pipe) : 0;
        if (pipe)
            ::pclose(pipe);
        return std::string(buffer, n);
    }

    // The requests the server answered so far, one "PATH STATUS IF-NONE-MATCH" a line.
    std::string requests() const { return read_text(root() / "requests.log"); }

private:
    TempDir m_dir;
    std::unique_ptr<ScriptServer> m_server;
};

} // namespace kiosk::tests
