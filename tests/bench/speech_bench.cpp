// Benchmark of speech output (issue 14: tap → start of speech ≤ 150 ms): from Speaker::say() to the first sample
// handed to the output, beside the espeak-ng command producing its first byte of WAV on stdout, in the same run.
#include "kiosk/speech/speaker.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

// What a resident touches and hears first: labels and short instructions.
char const* const phrases[] = {
    "Scanner un document",
    "Imprimer",
    "Appeler un agent",
    "Terminer la session",
    "Retour",
    "Accueil",
    "Faire une copie",
    "Je déménage",
    "J'attends un enfant",
    "Envoyer un document à un organisme",
};

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    std::size_t at = std::min(values.size() - 1, static_cast<std::size_t>(p * (values.size() - 1) + 0.5));
    return values[at];
}

double ms(std::chrono::microseconds us)
{
    return us.count() / 1000.0;
}

// The peer: a fresh `espeak-ng -v fr --stdout TEXT`, timed from just before the spawn to its first byte of WAV.
// Returns -1 when it could not run.
double peer_first_byte_ms(char const* text)
{
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0)
        return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    char const* argv[] = { "espeak-ng", "-v", "fr", "--stdout", text, nullptr };
    pid_t pid = 0;
    auto start = Clock::now();
    int spawned = ::posix_spawnp(&pid, "espeak-ng", &actions, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        return -1;
    }
    char buffer[4096];
    double first = -1;
    for (;;) {
        ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (got <= 0)
            break;
        if (first < 0)
            first = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    }
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? first : -1;
}

} // namespace

int main(int argc, char** argv)
{
    int runs = argc > 1 ? std::atoi(argv[1]) : 30;
    std::string driver = argc > 2 ? argv[2] : "dummy";
    if (runs < 2) {
        std::fprintf(stderr, "usage: speech_bench [RUNS≥2] [SDL audio driver, default dummy]\n");
        return 2;
    }

    kiosk::speech::SpeakerOptions options;
    options.audio_driver = driver == "default" ? "" : driver;
    auto created = kiosk::speech::Speaker::create(options);
    if (!created) {
        std::fprintf(stderr, "speech_bench: %s\n", created.error().detail.c_str());
        return 1;
    }
    auto& speaker = **created;

    std::vector<double> queued, played, peer;
    for (int i = 0; i < runs; ++i) {
        char const* text = phrases[i % std::size(phrases)];
        // Ours: say(), then as soon as the device has taken its first samples, cut it (the next tap would).
        speaker.say(text, "fr");
        auto give_up = Clock::now() + std::chrono::seconds(30);
        std::optional<kiosk::speech::UtteranceReport> report;
        while (Clock::now() < give_up) {
            auto reports = speaker.reports();
            if (!reports.empty() && reports.back().first_played) {
                report = reports.back();
                break;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        speaker.stop();
        if (!report || !report->first_queued || !speaker.wait_until_idle(std::chrono::seconds(30))) {
            std::fprintf(stderr, "speech_bench: utterance %d never reached the device\n", i + 1);
            return 1;
        }
        queued.push_back(ms(*report->first_queued));
        played.push_back(ms(*report->first_played));

        double theirs = peer_first_byte_ms(text);
        if (theirs < 0) {
            std::fprintf(
                stderr, "speech_bench: espeak-ng -v fr --stdout failed (is the espeak-ng package installed?)\n");
            return 1;
        }
        peer.push_back(theirs);
    }

    double load[3] = {};
    if (std::FILE* file = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(file, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = load[1] = load[2] = -1;
        std::fclose(file);
    }
    std::printf("speech_bench: %d French labels, SDL audio driver '%s', load %.2f %.2f %.2f\n", runs,
        SDL_GetCurrentAudioDriver() ? SDL_GetCurrentAudioDriver() : "?", load[0], load[1], load[2]);
    std::printf("%-58s %10s %10s\n", "figure", "p50", "p95");
    std::printf("%-58s %7.1f ms %7.1f ms   target <= 150 ms\n", "say() -> first sample handed to the output (ring)",
        percentile(queued, 0.5), percentile(queued, 0.95));
    std::printf("%-58s %7.1f ms %7.1f ms\n", "say() -> first sample taken by SDL's audio callback",
        percentile(played, 0.5), percentile(played, 0.95));
    std::printf("%-58s %7.1f ms %7.1f ms\n", "peer: spawn espeak-ng -v fr --stdout -> first byte of WAV",
        percentile(peer, 0.5), percentile(peer, 0.95));
    std::printf("%-58s %10.3f %10.3f\n", "ratio ours (handed to output) / peer",
        percentile(queued, 0.5) / percentile(peer, 0.5), percentile(queued, 0.95) / percentile(peer, 0.95));
    std::printf("{\"runs\":%d,\"first_queued_p50_ms\":%.2f,\"first_queued_p95_ms\":%.2f,\"first_played_p50_ms\":%.2f,"
                "\"first_played_p95_ms\":%.2f,\"peer_first_byte_p50_ms\":%.2f,\"peer_first_byte_p95_ms\":%.2f}\n",
        runs, percentile(queued, 0.5), percentile(queued, 0.95), percentile(played, 0.5), percentile(played, 0.95),
        percentile(peer, 0.5), percentile(peer, 0.95));
    return 0;
}
