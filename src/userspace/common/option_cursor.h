// Walks command-line options of the forms "--name value" and "--name=value".
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

namespace kecho {

class OptionCursor {
  public:
    explicit OptionCursor(std::span<const char* const> args) : args_(args) {}

    // Step to the next argument; false when there is none.
    bool next() {
        if (++index_ >= args_.size())
            return false;
        name_ = args_[index_];
        has_inline_ = false;
        if (const auto eq = name_.find('='); name_.starts_with("--") && eq != std::string::npos) {
            inline_ = name_.substr(eq + 1);
            name_.resize(eq);
            has_inline_ = true;
        }
        return true;
    }

    // The option ("--port"), without any "=value".
    [[nodiscard]] const std::string& name() const { return name_; }
    // The argument exactly as given, for messages.
    [[nodiscard]] std::string raw() const { return args_[index_]; }

    // The option's value: after '=', else the next argument.
    std::string value() {
        if (has_inline_)
            return inline_;
        if (index_ + 1 >= args_.size())
            throw std::invalid_argument(name_ + ": missing value");
        return args_[++index_];
    }

  private:
    std::span<const char* const> args_;
    std::size_t index_ = static_cast<std::size_t>(-1);
    std::string name_;
    std::string inline_;
    bool has_inline_ = false;
};

} // namespace kecho
