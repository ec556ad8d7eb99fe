// The far ends of the network diagnostics' tests, all on loopback in a temporary folder of their own: a test CA and
// certificates made with openssl (one valid for the test names, one expired), tests/diagnostics/diagnostics_server.py
// as HTTPS servers (one that completes the handshake and then says nothing), a connectivity probe and captive portals,
// a port that accepts and never answers, and a closed one.
#pragma once

#include "tests/support/script_server.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kiosk::tests {

// One diagnostics_server.py, stopped when it goes out of scope.
class LoopbackServer : public ScriptServer {
public:
    LoopbackServer(std::filesystem::path const& dir, std::vector<std::string> const& mode)
        : ScriptServer(arguments(dir, mode, this), port_file(dir, this), "the test server (" + mode.front() + ")")
    {
    }

private:
    // Named after the object, so that the servers of one test each have their own.
    static std::filesystem::path port_file(std::filesystem::path const& dir, void const* self)
    {
        return dir / ("port-" + std::to_string(reinterpret_cast<uintptr_t>(self)));
    }
    static std::vector<std::string> arguments(
        std::filesystem::path const& dir, std::vector<std::string> const& mode, void const* self)
    {
        std::vector<std::string> args { KIOSK_SOURCE_DIR "/tests/diagnostics/diagnostics_server.py",
            port_file(dir, self).string() };
        args.insert(args.end(), mode.begin(), mode.end());
        return args;
    }
};

// A loopback socket that listens and never accepts: the kernel completes the TCP handshake, then nothing comes.
class SilentPort {
public:
    SilentPort()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
            || ::listen(m_fd, 16) != 0 || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            FAIL("cannot listen on loopback");
        m_port = ntohs(address.sin_port);
    }
    SilentPort(SilentPort const&) = delete;
    SilentPort& operator=(SilentPort const&) = delete;
    ~SilentPort()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};

// A loopback port nothing listens on: bound once to learn a free number, then closed (connections are refused).
inline int closed_port()
{
    SilentPort port;
    return port.port();
}

// Everything at once: the CA, the certificates, the servers.
class DiagnosticsServers {
public:
    DiagnosticsServers()
        : m_dir("kiosk-diagnostics-test")
    {
        auto d = m_dir.path().string();
        // The test CA; a second one that signed nothing here; a certificate for the test names (and FranceConnect's,
        // which the command always checks); one for expired.test whose validity ended the day before it began.
        run_or_fail("cd " + d
            + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem"
              " -days 2 -subj /CN=kiosk-diagnostics-test-ca"
              " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key"
              " -out other-ca.pem -days 2 -subj /CN=kiosk-other-ca"
              " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout site.key -out site.csr"
              " -subj /CN=site.test"
              " && printf 'subjectAltName=DNS:site.test,DNS:fleet.test,DNS:app.franceconnect.gouv.fr\\n' > site.ext"
              " && openssl x509 -req -in site.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30"
              " -extfile site.ext -out site.pem"
              " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout expired.key"
              " -out expired.csr -subj /CN=expired.test"
              " && printf 'subjectAltName=DNS:expired.test\\n' > expired.ext"
              " && openssl x509 -req -in expired.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days -1"
              " -extfile expired.ext -out expired.pem");
        m_site = std::make_unique<LoopbackServer>(m_dir.path(),
            std::vector<std::string> {
                "https", (m_dir.path() / "site.pem").string(), (m_dir.path() / "site.key").string() });
        m_expired = std::make_unique<LoopbackServer>(m_dir.path(),
            std::vector<std::string> {
                "https", (m_dir.path() / "expired.pem").string(), (m_dir.path() / "expired.key").string() });
        m_mute = std::make_unique<LoopbackServer>(m_dir.path(),
            std::vector<std::string> {
                "mute", (m_dir.path() / "site.pem").string(), (m_dir.path() / "site.key").string() });
        m_probe = std::make_unique<LoopbackServer>(m_dir.path(), std::vector<std::string> { "probe" });
        m_portal = std::make_unique<LoopbackServer>(m_dir.path(), std::vector<std::string> { "portal" });
        m_portal_page = std::make_unique<LoopbackServer>(m_dir.path(), std::vector<std::string> { "portal-page" });
    }

    std::filesystem::path dir() const { return m_dir.path(); }
    std::filesystem::path ca_file() const { return m_dir.path() / "ca.pem"; }
    std::filesystem::path other_ca_file() const { return m_dir.path() / "other-ca.pem"; }
    int site_port() const { return m_site->port(); }
    int expired_port() const { return m_expired->port(); }
    int mute_port() const { return m_mute->port(); }
    int probe_port() const { return m_probe->port(); }
    int portal_port() const { return m_portal->port(); }
    int portal_page_port() const { return m_portal_page->port(); }

    // "NAME:PORT:127.0.0.1", as CURLOPT_RESOLVE takes it.
    static std::string loopback(std::string const& name, int port)
    {
        return name + ":" + std::to_string(port) + ":127.0.0.1";
    }

private:
    TempDir m_dir;
    std::unique_ptr<LoopbackServer> m_site;
    std::unique_ptr<LoopbackServer> m_expired;
    std::unique_ptr<LoopbackServer> m_mute;
    std::unique_ptr<LoopbackServer> m_probe;
    std::unique_ptr<LoopbackServer> m_portal;
    std::unique_ptr<LoopbackServer> m_portal_page;
};

} // namespace kiosk::tests
