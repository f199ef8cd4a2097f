#include "number_parse.h"

namespace kecho::ctl {

unsigned parse_backlog(std::string_view text, std::string_view what) {
    return parse_number<unsigned>(text, what, 1, kMaxBacklog, "backlog");
}

bool parse_bit(std::string_view text, std::string_view what) {
    if (text == "0")
        return false;
    if (text == "1")
        return true;
    throw_bad_value(what, text, "must be 0 or 1");
}

std::optional<bool> parse_kernel_bool(std::string_view text) {
    if (text == "1" || text == "y" || text == "Y" || text == "on" || text == "true")
        return true;
    if (text == "0" || text == "n" || text == "N" || text == "off" || text == "false")
        return false;
    return std::nullopt;
}

} // namespace kecho::ctl
