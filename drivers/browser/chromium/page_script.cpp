// The kiosk's page script and the meaning of its reports.
#include "drivers/browser/chromium/page_script.h"

namespace kiosk::drivers::chromium {

namespace {

// Runs at document start in every frame, before the page's own scripts, so its listeners come first. It never
// reads what is typed: only which kind of field has the focus leaves the page.
constexpr std::string_view script_source = R"js((() => {
  const name = '@BINDING@';
  const report = globalThis[name];
  if (typeof report !== 'function') return;
  try { delete globalThis[name]; } catch (e) {}
  const kinds = { text: 'text', email: 'email', number: 'number', tel: 'telephone', url: 'url',
                  password: 'password', search: 'search' };
  const kindOf = (el) => {
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el.disabled || el.readOnly) return 'none';
    if (el.isContentEditable || el.tagName === 'TEXTAREA') return 'multiline';
    if (el.tagName !== 'INPUT') return 'none';
    return kinds[(el.getAttribute('type') || 'text').toLowerCase()] || 'none';
  };
  let last = 'none';
  const update = () => {
    const kind = kindOf(document.activeElement);
    if (kind !== last) { last = kind; report(kind); }
  };
  addEventListener('focusin', update, true);
  addEventListener('focusout', () => setTimeout(update, 0), true);
  addEventListener('pagehide', () => { if (last !== 'none') { last = 'none'; report('none'); } }, true);
  if (document.readyState !== 'loading') update();
  // A field focused before the kiosk attached (autofocus on a fast page) raised its focusin before this script
  // listened: the window's focus (given once the kiosk turns focus emulation on) and the load look again.
  addEventListener('focus', update);
  addEventListener('load', update);
  setTimeout(update, 500);
  // The kiosk's keyboard makes the window shorter: the field being typed in stays in sight above it.
  addEventListener('resize', () => {
    if (last === 'none') return;
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (el && el.scrollIntoView) el.scrollIntoView({ block: 'center', inline: 'nearest' });
  });

  // One window: what would open another goes to this one instead.
  const go = (href) => {
    if (!href) return;
    try { window.top.location.href = href; } catch (e) { location.href = href; }
  };
  window.open = function (url) {
    if (url === undefined || url === null || url === '') return null;
    go(new URL(String(url), location.href).href);
    return null;
  };
  const elsewhere = (target) => target && !['_self', '_top', '_parent'].includes(target.toLowerCase());
  const onLink = (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href], area[href]') : null;
    if (!link) return;
    const modified = event.ctrlKey || event.shiftKey || event.metaKey || event.button === 1;
    if (!modified && !elsewhere(link.getAttribute('target'))) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    go(link.href);
  };
  addEventListener('click', onLink, true);
  addEventListener('auxclick', onLink, true);
  addEventListener('submit', (event) => {
    const form = event.target;
    if (form && elsewhere(form.getAttribute('target'))) form.setAttribute('target', '_self');
  }, true);

  // Browser shortcuts reach the page first in an app window: none of them is for the resident. Editing keys stay.
  const editing = new Set(['a', 'c', 'v', 'x', 'z', 'y', 'arrowleft', 'arrowright', 'arrowup', 'arrowdown',
                           'backspace', 'delete', 'home', 'end']);
  addEventListener('keydown', (event) => {
    const key = (event.key || '').toLowerCase();
    const functionKey = /^f\d+$/.test(key);
    const altGraph = event.getModifierState && event.getModifierState('AltGraph');
    const chord = (event.ctrlKey || event.altKey || event.metaKey) && !altGraph;
    if (functionKey || (chord && !(event.ctrlKey && !event.altKey && !event.metaKey && editing.has(key)))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
)js";

} // namespace

std::string page_script(std::string_view binding)
{
    std::string source(script_source);
    std::string_view marker = "@BINDING@";
    source.replace(source.find(marker), marker.size(), binding);
    return source;
}

std::optional<std::variant<std::monostate, TextFieldKind>> parse_focus_report(std::string_view payload)
{
    using Report = std::variant<std::monostate, TextFieldKind>;
    if (payload == "none")
        return Report {};
    struct Name {
        std::string_view text;
        TextFieldKind kind;
    };
    static constexpr Name names[] = { { "text", TextFieldKind::text }, { "email", TextFieldKind::email },
        { "number", TextFieldKind::number }, { "telephone", TextFieldKind::telephone }, { "url", TextFieldKind::url },
        { "password", TextFieldKind::password }, { "search", TextFieldKind::search },
        { "multiline", TextFieldKind::multiline } };
    for (auto const& name : names)
        if (payload == name.text)
            return Report { name.kind };
    return std::nullopt;
}

} // namespace kiosk::drivers::chromium
