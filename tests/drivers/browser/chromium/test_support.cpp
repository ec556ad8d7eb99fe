// Shared pieces of the Chromium tests.
#include "test_support.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kiosk::tests {

TestCertificate make_test_certificate(
    std::filesystem::path const& dir, std::string const& name, std::vector<std::string> const& extra_names)
{
    TestCertificate result;
    result.files = { dir / (name + "-cert.pem"), dir / (name + "-key.pem") };
    std::vector<std::string> domains { "caf.fr", "impots.gouv.fr", "ameli.fr", "franceconnect.gouv.fr",
        "service-public.fr", "lassuranceretraite.fr", "not-a-partner.fr" };
    domains.insert(domains.end(), extra_names.begin(), extra_names.end());
    std::string names;
    for (auto const& domain : domains)
        names += std::string(names.empty() ? "" : ",") + "DNS:" + domain + ",DNS:*." + domain;
    int status = run_bounded(
        { "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-subj", "/CN=France Services kiosk test " + name, "-addext", "subjectAltName=" + names,
            "-keyout", result.files.key.string(), "-out", result.files.certificate.string() },
        dir / (name + "-openssl.out"), dir / (name + "-openssl.err"), std::chrono::seconds(30));
    if (status != 0)
        throw std::runtime_error(
            "openssl could not make a test certificate: " + read_file(dir / (name + "-openssl.err")));
    FILE* file = std::fopen(result.files.certificate.c_str(), "r");
    X509* certificate = file ? PEM_read_X509(file, nullptr, nullptr, nullptr) : nullptr;
    if (file)
        std::fclose(file);
    if (!certificate)
        throw std::runtime_error("cannot read the test certificate");
    unsigned char* der = nullptr;
    int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(der, static_cast<size_t>(length), digest);
    OPENSSL_free(der);
    X509_free(certificate);
    unsigned char encoded[64] = {};
    EVP_EncodeBlock(encoded, digest, sizeof digest);
    result.spki_sha256 = reinterpret_cast<char const*>(encoded);
    return result;
}

std::string chromium_spec(int port, TestCertificate const& certificate, std::filesystem::path const& dir, bool headless)
{
    // As root Chromium keeps its own sandbox: bubblewrap runs it as user 65534 of a namespace of its own.
    return std::string("chromium:binary=/usr/bin/chromium,headless=") + (headless ? "1" : "0")
        + ",resolve_to=127.0.0.1:" + std::to_string(port) + ",trust_spki=" + certificate.spki_sha256
        + ",log=" + (dir / "chromium.log").string();
}

DisplayOverride::DisplayOverride(std::string const& display)
{
    if (char const* saved = std::getenv("DISPLAY"))
        m_saved = saved;
    ::setenv("DISPLAY", display.c_str(), 1);
}

DisplayOverride::~DisplayOverride()
{
    if (m_saved)
        ::setenv("DISPLAY", m_saved->c_str(), 1);
    else
        ::unsetenv("DISPLAY");
}

bool xdotool(std::string const& display, std::vector<std::string> const& args, std::filesystem::path const& scratch)
{
    std::vector<std::string> argv { "/usr/bin/env", "DISPLAY=" + display, "/usr/bin/xdotool" };
    argv.insert(argv.end(), args.begin(), args.end());
    return run_bounded(argv, scratch / "xdotool.out", scratch / "xdotool.err", std::chrono::seconds(10)) == 0;
}

int chromium_windows(std::string const& display, std::filesystem::path const& scratch)
{
    xdotool(display, { "search", "--onlyvisible", "--class", "chromium" }, scratch);
    auto text = read_file(scratch / "xdotool.out");
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

drivers::BrowseRequest make_request(
    std::filesystem::path const& session, std::string url, std::vector<std::string> domains)
{
    drivers::BrowseRequest request;
    request.partner_slug = "caf";
    request.url = std::move(url);
    request.allowed_domains = std::move(domains);
    request.profile_dir = session / "browser-profile";
    request.downloads_dir = session / "downloads";
    request.uploads_dir = session / "uploads";
    return request;
}

std::vector<pid_t> processes_mentioning(std::string const& text)
{
    std::vector<pid_t> result;
    std::error_code ec;
    for (auto const& entry : std::filesystem::directory_iterator("/proc", ec)) {
        auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        pid_t pid = std::atoi(name.c_str());
        if (pid == ::getpid())
            continue;
        // Any process of the machine may exit while its command line is read: the read then fails with ESRCH, which
        // libstdc++ throws from the stream buffer. Such a process is no browser of ours any more.
        std::string cmdline;
        try {
            std::ifstream file(entry.path() / "cmdline", std::ios::binary);
            cmdline.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
        } catch (std::ios_base::failure const&) {
            continue;
        }
        // A zombie has an empty command line and is no longer a running browser.
        if (cmdline.find(text) != std::string::npos)
            result.push_back(pid);
    }
    return result;
}

void kill_processes_mentioning(std::string const& text)
{
    for (pid_t pid : processes_mentioning(text))
        ::kill(pid, SIGKILL);
}

bool wait_until(std::function<bool()> const& done, std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

std::string read_file(std::filesystem::path const& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

int run_bounded(std::vector<std::string> const& argv, std::filesystem::path const& out,
    std::filesystem::path const& err, std::chrono::milliseconds timeout)
{
    std::vector<std::string> args = argv;
    std::vector<char*> c_args;
    for (auto& a : args)
        c_args.push_back(a.data());
    c_args.push_back(nullptr);
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(null_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        ::execv(c_args[0], c_args.data());
        ::_exit(127);
    }
    ::close(out_fd);
    ::close(err_fd);
    ::close(null_fd);
    if (pid < 0)
        return -1;
    ::setpgid(pid, pid);
    int status = 0;
    bool finished = wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
    ::kill(-pid, SIGKILL);
    if (!finished) {
        ::waitpid(pid, &status, 0);
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace kiosk::tests
