// Logging with syslog priorities: to the journal when systemd runs us
// (JOURNAL_STREAM or NOTIFY_SOCKET set), to stderr otherwise.
#pragma once

#include <string_view>
#include <syslog.h>

namespace kecho::ctl {

// True when started by systemd (the environment says so).
bool under_systemd();

// Choose the journal (true) or stderr (false). Default: stderr.
void log_to_journal(bool journal);

void log_message(int priority, std::string_view message);

} // namespace kecho::ctl
