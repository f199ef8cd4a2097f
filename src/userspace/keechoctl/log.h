// Logging with syslog priorities: to the journal when systemd connected our
// stderr to it (JOURNAL_STREAM names stderr), to stderr otherwise.
#pragma once

#include <string_view>
#include <syslog.h>

namespace kecho::ctl {

// True when stderr is systemd's journal stream.
bool under_systemd();

// Choose the journal (true) or stderr (false). Default: stderr.
void log_to_journal(bool journal);

void log_message(int priority, std::string_view message);

} // namespace kecho::ctl
