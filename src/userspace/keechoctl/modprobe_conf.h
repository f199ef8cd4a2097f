// A modprobe.d(5) file that can be read and rewritten without losing the
// admin's comments, other modules' lines or layout. Only `options` lines of
// the module being changed are rewritten; everything else is kept byte for byte.
#pragma once

#include "kecho_params.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kecho::ctl {

// The file cannot be parsed: it is reported and never overwritten.
class ConfParseError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class ModprobeConf {
  public:
    // Throws ConfParseError("ORIGIN:LINE: why") on anything it does not understand.
    static ModprobeConf parse(std::string_view text, const std::string& origin);

    // Effective options for `module` (dashes and underscores are equal), last one wins.
    [[nodiscard]] ParamMap options(std::string_view module) const;

    // Set key=value for `module`: every existing key=value of it is changed in
    // place; otherwise it is added to the module's last options line, or to a
    // new line at the end.
    void set_option(std::string_view module, const std::string& key, const std::string& value);

    [[nodiscard]] std::string render() const;

  private:
    struct Token {
        std::string raw;
        std::string key;   // before '=', unquoted
        std::string value; // after '=', unquoted; "" when there is no '='
        bool has_value = false;
    };
    struct Line {
        std::string raw;           // the physical line(s), without the final newline
        std::string module;        // normalized; empty unless an options line
        std::string module_raw;    // as written
        std::vector<Token> params; // options lines only
        bool dirty = false;
    };

    static Token make_token(std::string raw);
    static std::string render_line(const Line& line);

    std::vector<Line> lines_;
};

// Module names compare with '-' and '_' as the same character, as in kmod.
std::string normalize_module_name(std::string_view name);

} // namespace kecho::ctl
