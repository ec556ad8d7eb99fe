#include "drivers/audio/headset_jack.h"

#include "drivers/driver_spec.h"

#include <alsa/asoundlib.h>

#include <chrono>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace kiosk::drivers {

struct HeadsetJack::Card {
    snd_ctl_t* ctl = nullptr;
    std::vector<unsigned> jacks; // numids of its headphone sockets
    ~Card()
    {
        if (ctl)
            snd_ctl_close(ctl);
    }
};

namespace {

// "Headphone Jack", "Front Headphone Jack": a socket that senses a plug. Not a microphone's ("Headset Mic Jack": the
// same plug is also seen as a headphone), nor a phantom ("Headphone Phantom Jack": a socket the codec cannot sense,
// always reported as plugged).
bool is_headphone_socket(snd_ctl_elem_iface_t iface, std::string_view name)
{
    auto has = [name](std::string_view word) { return name.find(word) != std::string_view::npos; };
    return iface == SND_CTL_ELEM_IFACE_CARD && name.ends_with(" Jack") && (has("Headphone") || has("Headset"))
        && !has("Mic") && !has("Phantom");
}

std::string alsa_text(int error)
{
    return snd_strerror(error);
}

// Opens one control device and finds its headphone sockets; a card without any is returned with none.
Result<std::unique_ptr<HeadsetJack::Card>> open_card(std::string const& name, std::vector<std::string>& sockets)
{
    auto card = std::make_unique<HeadsetJack::Card>();
    if (int error = snd_ctl_open(&card->ctl, name.c_str(), SND_CTL_NONBLOCK); error < 0) {
        card->ctl = nullptr;
        return make_error(ErrorCode::not_found, "sound card " + name + ": " + alsa_text(error));
    }
    snd_ctl_card_info_t* info = nullptr;
    snd_ctl_card_info_alloca(&info);
    std::string card_name = snd_ctl_card_info(card->ctl, info) >= 0 ? snd_ctl_card_info_get_id(info) : name;

    snd_ctl_elem_list_t* list = nullptr;
    snd_ctl_elem_list_alloca(&list);
    if (int error = snd_ctl_elem_list(card->ctl, list); error < 0)
        return make_error(ErrorCode::io, "sound card " + name + ": " + alsa_text(error));
    unsigned count = snd_ctl_elem_list_get_count(list);
    if (int error = snd_ctl_elem_list_alloc_space(list, count); error < 0)
        return make_error(ErrorCode::io, "sound card " + name + ": " + alsa_text(error));
    int listed = snd_ctl_elem_list(card->ctl, list);
    snd_ctl_elem_info_t* element_info = nullptr;
    snd_ctl_elem_info_alloca(&element_info);
    for (unsigned i = 0; listed >= 0 && i < snd_ctl_elem_list_get_used(list); ++i) {
        std::string_view element = snd_ctl_elem_list_get_name(list, i);
        if (!is_headphone_socket(snd_ctl_elem_list_get_interface(list, i), element))
            continue;
        snd_ctl_elem_info_clear(element_info);
        snd_ctl_elem_info_set_numid(element_info, snd_ctl_elem_list_get_numid(list, i));
        if (snd_ctl_elem_info(card->ctl, element_info) < 0
            || snd_ctl_elem_info_get_type(element_info) != SND_CTL_ELEM_TYPE_BOOLEAN)
            continue;
        card->jacks.push_back(snd_ctl_elem_list_get_numid(list, i));
        sockets.push_back(card_name + ": " + std::string(element));
    }
    snd_ctl_elem_list_free_space(list);
    if (listed < 0)
        return make_error(ErrorCode::io, "sound card " + name + ": " + alsa_text(listed));
    if (!card->jacks.empty())
        if (int error = snd_ctl_subscribe_events(card->ctl, 1); error < 0)
            return make_error(ErrorCode::io, "sound card " + name + ": cannot watch it: " + alsa_text(error));
    return card;
}

} // namespace

Result<void> HeadsetJack::check(std::string_view spec_text)
{
    auto spec = TRY(parse_driver_spec(spec_text));
    if (spec.backend != "alsa" && spec.backend != "none")
        return make_error(ErrorCode::usage, "headset: '" + spec.backend + "' is neither alsa nor none");
    TRY(spec.allow_only(
        spec.backend == "alsa" ? std::vector<std::string_view> { "ctl" } : std::vector<std::string_view> {}));
    if (auto ctl = spec.get("ctl"); ctl && ctl->empty())
        return make_error(ErrorCode::usage, "headset: ctl is empty");
    return {};
}

Result<std::unique_ptr<HeadsetJack>> HeadsetJack::open(std::string_view spec_text, Changed changed)
{
    TRY(check(spec_text));
    auto spec = TRY(parse_driver_spec(spec_text));
    if (spec.backend == "none")
        return nullptr;

    std::vector<std::unique_ptr<Card>> cards;
    std::vector<std::string> sockets;
    std::vector<Error> problems;
    if (auto name = spec.get("ctl")) {
        auto card = TRY(open_card(*name, sockets));
        if (card->jacks.empty())
            return make_error(
                ErrorCode::not_found, "sound card " + *name + " has no headphone socket that senses a plug");
        cards.push_back(std::move(card));
    } else {
        // A card that cannot be read does not keep the others from being watched; it is told as a problem.
        for (int index = -1; snd_card_next(&index) >= 0 && index >= 0;) {
            auto card = open_card("hw:" + std::to_string(index), sockets);
            if (!card)
                problems.push_back(card.error());
            else if (!(*card)->jacks.empty())
                cards.push_back(std::move(*card));
        }
        if (cards.empty() && !problems.empty())
            return std::unexpected(problems.front());
        if (cards.empty())
            return nullptr;
    }
    std::unique_ptr<HeadsetJack> jack(new HeadsetJack(std::move(cards), std::move(changed)));
    jack->m_sockets = std::move(sockets);
    jack->m_problems = std::move(problems);
    jack->m_stop = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (jack->m_stop < 0)
        return make_error(ErrorCode::io, "headset: eventfd failed");
    jack->m_plugged = jack->read_plugged();
    jack->m_thread = std::thread([raw = jack.get()] { raw->watch(); });
    return jack;
}

HeadsetJack::HeadsetJack(std::vector<std::unique_ptr<Card>> cards, Changed changed)
    : m_cards(std::move(cards))
    , m_changed(std::move(changed))
{
}

HeadsetJack::~HeadsetJack()
{
    if (m_thread.joinable()) {
        std::uint64_t one = 1;
        [[maybe_unused]] auto written = ::write(m_stop, &one, sizeof one);
        m_thread.join();
    }
    if (m_stop >= 0)
        ::close(m_stop);
}

bool HeadsetJack::read_plugged() const
{
    snd_ctl_elem_value_t* value = nullptr;
    snd_ctl_elem_value_alloca(&value);
    for (auto const& card : m_cards)
        for (unsigned numid : card->jacks) {
            snd_ctl_elem_value_clear(value);
            snd_ctl_elem_value_set_numid(value, numid);
            if (snd_ctl_elem_read(card->ctl, value) >= 0 && snd_ctl_elem_value_get_boolean(value, 0))
                return true;
        }
    return false;
}

void HeadsetJack::watch()
{
    using Clock = std::chrono::steady_clock;
    snd_ctl_event_t* event = nullptr;
    snd_ctl_event_alloca(&event);
    // A plug is told once it has stayed still for settle_time: a worn socket's bounce, or a plug wiggled in and
    // out, is one change or none, not a burst of them.
    bool settling = false;
    Clock::time_point settle_at {};
    auto tell = [this] {
        bool now = read_plugged();
        if (now != m_plugged.exchange(now))
            m_changed(now);
    };
    for (;;) {
        if (m_cards.empty()) {
            // Every card went away (a USB card unplugged): its sockets went with it.
            if (m_plugged.exchange(false))
                m_changed(false);
            return;
        }
        std::vector<pollfd> fds { { m_stop, POLLIN, 0 } };
        std::vector<size_t> first_of_card;
        for (auto const& card : m_cards) {
            first_of_card.push_back(fds.size());
            int count = snd_ctl_poll_descriptors_count(card->ctl);
            fds.resize(fds.size() + static_cast<size_t>(std::max(count, 0)));
            if (count > 0)
                snd_ctl_poll_descriptors(card->ctl, &fds[first_of_card.back()], static_cast<unsigned>(count));
        }
        int timeout = -1;
        if (settling)
            timeout = static_cast<int>(std::max<std::int64_t>(
                0, std::chrono::ceil<std::chrono::milliseconds>(settle_at - Clock::now()).count()));
        int ready = ::poll(fds.data(), fds.size(), timeout);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            m_cards.clear(); // cannot watch any more: told as gone, above
            continue;
        }
        if (fds[0].revents)
            return;
        if (ready == 0) {
            settling = false;
            tell();
            continue;
        }
        bool jack_moved = false;
        for (size_t c = 0; c < m_cards.size(); ++c) {
            auto& card = *m_cards[c];
            size_t end = c + 1 < m_cards.size() ? first_of_card[c + 1] : fds.size();
            unsigned short revents = 0;
            snd_ctl_poll_descriptors_revents(
                card.ctl, &fds[first_of_card[c]], static_cast<unsigned>(end - first_of_card[c]), &revents);
            if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
                // This card went away; the others are still watched.
                m_cards.erase(m_cards.begin() + static_cast<std::ptrdiff_t>(c));
                jack_moved = true;
                break;
            }
            if (!(revents & POLLIN))
                continue;
            while (snd_ctl_read(card.ctl, event) > 0) {
                if (snd_ctl_event_get_type(event) != SND_CTL_EVENT_ELEM)
                    continue;
                unsigned numid = snd_ctl_event_elem_get_numid(event);
                for (unsigned jack : card.jacks)
                    jack_moved = jack_moved || jack == numid;
            }
        }
        if (jack_moved) {
            settling = true;
            settle_at = Clock::now() + settle_time;
        }
    }
}

} // namespace kiosk::drivers
