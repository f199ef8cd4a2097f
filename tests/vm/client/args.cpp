#include "args.h"

#include <limits>
#include <stdexcept>

namespace kecho::testclient {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& allowed) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg.rfind("--", 0) != 0)
            throw std::invalid_argument("unexpected argument '" + arg + "'");
        std::string name = arg.substr(2);
        std::string value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        } else {
            if (i + 1 >= argv.size())
                throw std::invalid_argument("option --" + name + " needs a value");
            value = argv[++i];
        }
        if (!allowed.contains(name))
            throw std::invalid_argument("unknown option --" + name);
        values_[name] = value;
    }
}

std::string Args::str(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

std::uint64_t Args::num(const std::string& name, std::uint64_t fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : parse_size(it->second, "--" + name);
}

std::uint64_t parse_size(const std::string& text, const std::string& what) {
    if (text.empty())
        throw std::invalid_argument(what + ": empty value");
    std::uint64_t value = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        const auto digit = static_cast<std::uint64_t>(text[i] - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
            throw std::invalid_argument(what + ": '" + text + "' is too large");
        value = value * 10 + digit;
    }
    if (i == 0)
        throw std::invalid_argument(what + ": '" + text + "' is not a number");
    std::uint64_t mult = 1;
    if (i + 1 == text.size()) {
        switch (text[i]) {
        case 'k':
        case 'K':
            mult = 1024;
            break;
        case 'm':
        case 'M':
            mult = std::uint64_t{1024} * 1024;
            break;
        default:
            throw std::invalid_argument(what + ": bad suffix in '" + text + "'");
        }
    } else if (i != text.size()) {
        throw std::invalid_argument(what + ": '" + text + "' is not a number");
    }
    if (value > std::numeric_limits<std::uint64_t>::max() / mult)
        throw std::invalid_argument(what + ": '" + text + "' is too large");
    return value * mult;
}

} // namespace kecho::testclient
