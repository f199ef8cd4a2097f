#include "log.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

namespace kecho::ctl {

namespace {

bool& journal_flag() {
    static bool journal = false;
    return journal;
}

const char* priority_name(int priority) {
    switch (priority) {
    case LOG_EMERG:
    case LOG_ALERT:
    case LOG_CRIT:
    case LOG_ERR:
        return "error: ";
    case LOG_WARNING:
        return "warning: ";
    case LOG_DEBUG:
        return "debug: ";
    default:
        return "";
    }
}

} // namespace

bool under_systemd() {
    // systemd sets JOURNAL_STREAM=DEV:INODE when stderr is the journal; it
    // only counts if stderr is still that stream (not redirected since).
    const char* stream = std::getenv("JOURNAL_STREAM"); // NOLINT(concurrency-mt-unsafe)
    if (stream == nullptr)
        return false;
    struct stat st {};
    if (::fstat(STDERR_FILENO, &st) != 0)
        return false;
    const std::string want = std::to_string(static_cast<unsigned long long>(st.st_dev)) + ":" +
                             std::to_string(static_cast<unsigned long long>(st.st_ino));
    return want == stream;
}

void log_to_journal(bool journal) {
    journal_flag() = journal;
}

void log_message(int priority, std::string_view message) {
    const std::string msg(message);
    if (journal_flag() && sd_journal_send("MESSAGE=%s", msg.c_str(), "PRIORITY=%i", priority,
                                          "SYSLOG_IDENTIFIER=keechoctl", nullptr) == 0)
        return;
    std::cerr << "keechoctl: " << priority_name(priority) << msg << std::endl;
}

} // namespace kecho::ctl
