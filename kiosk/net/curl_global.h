// libcurl's process-wide initialisation, done once for every kind of request: curl_global_init is not safe to run
// twice at once, and the fleet fetch, the metrics push and an agent call may start together on different threads.
#pragma once

namespace kiosk::net {

void ensure_curl_initialised();

} // namespace kiosk::net
