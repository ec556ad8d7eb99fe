// An ALSA control plugin with the jack controls a sound card's driver makes, for the tests of headset detection on a
// machine without a sound card. alsa-lib loads it as it loads any control plugin; the kiosk reads it through the same
// calls as a card's "hw:N" (element list, values, events on the poll descriptor).
//
//   ctl_type.kiosk_test_jack { lib "/path/to/libkiosk_test_jack.so" }
//   ctl.kiosk_headset { type kiosk_test_jack dir "/tmp/x" }
//
// Elements, as an HDA codec names them: "Headphone Jack" and "Headset Mic Jack", read from the file "headphone" in dir
// ("1" plugged, anything else not), "Line Out Jack" from "line_out" (CARD interface, boolean), a "Front Headphone
// Phantom Jack" always plugged, and a "Master Playback Switch" (MIXER), which is not a jack. Only the first is a
// headset's socket. Writing a file (or renaming one into dir) is the plug: an event reaches whoever subscribed.
#include <alsa/asoundlib.h>
#include <alsa/control_external.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/inotify.h>
#include <unistd.h>

namespace {

struct Element {
    char const* name;
    snd_ctl_elem_iface_t iface;
    char const* file; // nullptr: always on
};

constexpr std::array<Element, 5> elements { {
    { "Headphone Jack", SND_CTL_ELEM_IFACE_CARD, "headphone" },
    { "Headset Mic Jack", SND_CTL_ELEM_IFACE_CARD, "headphone" }, // the same plug, seen by the microphone's contact
    { "Line Out Jack", SND_CTL_ELEM_IFACE_CARD, "line_out" },
    { "Front Headphone Phantom Jack", SND_CTL_ELEM_IFACE_CARD, nullptr }, // a socket that cannot sense: always "in"
    { "Master Playback Switch", SND_CTL_ELEM_IFACE_MIXER, nullptr },
} };

struct TestJack {
    snd_ctl_ext_t ext {};
    std::string dir;
    std::array<long, elements.size()> reported {}; // the values last told to a subscriber
};

TestJack* self(snd_ctl_ext_t* ext)
{
    return static_cast<TestJack*>(ext->private_data);
}

long value_of(TestJack const& jack, size_t index)
{
    if (!elements[index].file)
        return 1;
    std::ifstream in(jack.dir + "/" + elements[index].file);
    std::string text;
    in >> text;
    return text == "1" ? 1 : 0;
}

void close_jack(snd_ctl_ext_t* ext)
{
    auto* jack = self(ext);
    if (ext->poll_fd >= 0)
        ::close(ext->poll_fd);
    delete jack;
}

int elem_count(snd_ctl_ext_t*)
{
    return static_cast<int>(elements.size());
}

int elem_list(snd_ctl_ext_t*, unsigned int offset, snd_ctl_elem_id_t* id)
{
    if (offset >= elements.size())
        return -EINVAL;
    snd_ctl_elem_id_set_interface(id, elements[offset].iface);
    snd_ctl_elem_id_set_name(id, elements[offset].name);
    return 0;
}

snd_ctl_ext_key_t find_elem(snd_ctl_ext_t*, snd_ctl_elem_id_t const* id)
{
    unsigned numid = snd_ctl_elem_id_get_numid(id);
    if (numid > 0 && numid <= elements.size())
        return numid - 1;
    for (size_t i = 0; i < elements.size(); ++i)
        if (std::strcmp(snd_ctl_elem_id_get_name(id), elements[i].name) == 0
            && snd_ctl_elem_id_get_interface(id) == elements[i].iface)
            return i;
    return SND_CTL_EXT_KEY_NOT_FOUND;
}

int get_attribute(snd_ctl_ext_t*, snd_ctl_ext_key_t, int* type, unsigned int* access, unsigned int* count)
{
    *type = SND_CTL_ELEM_TYPE_BOOLEAN;
    *access = SND_CTL_EXT_ACCESS_READ;
    *count = 1;
    return 0;
}

int get_integer_info(snd_ctl_ext_t*, snd_ctl_ext_key_t, long* min, long* max, long* step)
{
    *min = 0;
    *max = 1;
    *step = 1;
    return 0;
}

int read_integer(snd_ctl_ext_t* ext, snd_ctl_ext_key_t key, long* value)
{
    if (key >= elements.size())
        return -EINVAL;
    *value = value_of(*self(ext), key);
    return 0;
}

void subscribe_events(snd_ctl_ext_t* ext, int subscribe)
{
    auto* jack = self(ext);
    if (subscribe)
        for (size_t i = 0; i < elements.size(); ++i)
            jack->reported[i] = value_of(*jack, i);
}

// One changed element a call, as a card's driver queues them; -EAGAIN when nothing changed since the last call.
int read_event(snd_ctl_ext_t* ext, snd_ctl_elem_id_t* id, unsigned int* event_mask)
{
    auto* jack = self(ext);
    std::array<char, 4096> buffer;
    while (::read(ext->poll_fd, buffer.data(), buffer.size()) > 0) { } // drained: the values are compared below
    if (!ext->subscribed)
        return -EAGAIN;
    for (size_t i = 0; i < elements.size(); ++i) {
        long now = value_of(*jack, i);
        if (now == jack->reported[i])
            continue;
        jack->reported[i] = now;
        snd_ctl_elem_id_clear(id);
        snd_ctl_elem_id_set_numid(id, static_cast<unsigned>(i + 1));
        snd_ctl_elem_id_set_interface(id, elements[i].iface);
        snd_ctl_elem_id_set_name(id, elements[i].name);
        *event_mask = SND_CTL_EVENT_MASK_VALUE;
        return 1;
    }
    return -EAGAIN;
}

snd_ctl_ext_callback_t const callbacks = [] {
    snd_ctl_ext_callback_t c {};
    c.close = close_jack;
    c.elem_count = elem_count;
    c.elem_list = elem_list;
    c.find_elem = find_elem;
    c.get_attribute = get_attribute;
    c.get_integer_info = get_integer_info;
    c.read_integer = read_integer;
    c.subscribe_events = subscribe_events;
    c.read_event = read_event;
    return c;
}();

} // namespace

extern "C" {

SND_CTL_PLUGIN_DEFINE_FUNC(kiosk_test_jack)
{
    (void)root;
    char const* dir = nullptr;
    snd_config_iterator_t i, next;
    snd_config_for_each(i, next, conf)
    {
        snd_config_t* entry = snd_config_iterator_entry(i);
        char const* key = nullptr;
        if (snd_config_get_id(entry, &key) < 0)
            continue;
        if (std::strcmp(key, "comment") == 0 || std::strcmp(key, "type") == 0)
            continue;
        if (std::strcmp(key, "dir") == 0 && snd_config_get_string(entry, &dir) >= 0)
            continue;
        SNDERR("kiosk_test_jack: unknown field %s", key);
        return -EINVAL;
    }
    if (!dir) {
        SNDERR("kiosk_test_jack: no dir");
        return -EINVAL;
    }
    auto* jack = new TestJack;
    jack->dir = dir;
    jack->ext.version = SND_CTL_EXT_VERSION;
    jack->ext.card_idx = 0;
    std::snprintf(jack->ext.id, sizeof jack->ext.id, "%s", "KioskTest");
    std::snprintf(jack->ext.driver, sizeof jack->ext.driver, "%s", "kiosk_test_jack");
    std::snprintf(jack->ext.name, sizeof jack->ext.name, "%s", "Kiosk test jack");
    std::snprintf(jack->ext.longname, sizeof jack->ext.longname, "%s", "Kiosk test jack (headset detection tests)");
    std::snprintf(jack->ext.mixername, sizeof jack->ext.mixername, "%s", "Kiosk test");
    jack->ext.poll_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (jack->ext.poll_fd < 0 || inotify_add_watch(jack->ext.poll_fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
        int error = -errno;
        if (jack->ext.poll_fd >= 0)
            ::close(jack->ext.poll_fd);
        delete jack;
        return error;
    }
    jack->ext.callback = &callbacks;
    jack->ext.private_data = jack;
    int error = snd_ctl_ext_create(&jack->ext, name, mode);
    if (error < 0) {
        ::close(jack->ext.poll_fd);
        delete jack;
        return error;
    }
    *handlep = jack->ext.handle;
    return 0;
}

SND_CTL_PLUGIN_SYMBOL(kiosk_test_jack);
}
