#include "modprobe_conf.h"

#include "kecho_options.h"
#include "server.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace kecho::ctl {

namespace {

constexpr std::array<std::string_view, 7> kDirectives = {
    "alias", "blacklist", "install", "remove", "options", "softdep", "weakdep",
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Split on blanks outside double quotes. Returns false on an unbalanced quote.
bool tokenize(std::string_view text, std::vector<std::string>& out) {
    std::string cur;
    bool in_token = false;
    bool quoted = false;
    for (const char c : text) {
        if (!quoted && is_space(c)) {
            if (in_token)
                out.push_back(std::move(cur));
            cur.clear();
            in_token = false;
            continue;
        }
        if (c == '"')
            quoted = !quoted;
        cur.push_back(c);
        in_token = true;
    }
    if (quoted)
        return false;
    if (in_token)
        out.push_back(std::move(cur));
    return true;
}

std::string unquote(std::string_view s) {
    std::string out;
    std::copy_if(s.begin(), s.end(), std::back_inserter(out), [](char c) { return c != '"'; });
    return out;
}

} // namespace

std::string normalize_module_name(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

ModprobeConf::Token ModprobeConf::make_token(std::string raw) {
    Token tok;
    const auto eq = raw.find('=');
    if (eq == std::string::npos) {
        tok.key = unquote(raw);
    } else {
        tok.key = unquote(std::string_view(raw).substr(0, eq));
        tok.value = unquote(std::string_view(raw).substr(eq + 1));
        tok.has_value = true;
    }
    tok.raw = std::move(raw);
    return tok;
}

ModprobeConf ModprobeConf::parse(std::string_view text, const std::string& origin) {
    if (text.find('\0') != std::string_view::npos)
        throw ConfParseError(origin + ": contains NUL bytes, not a modprobe.d text file");

    ModprobeConf conf;
    size_t pos = 0;
    unsigned lineno = 0;
    while (pos < text.size()) {
        const unsigned first = lineno + 1;
        Line line;
        std::string joined;
        bool continued = true;
        while (continued) {
            if (pos >= text.size())
                throw ConfParseError(origin + ":" + std::to_string(first) +
                                     ": line continuation at end of file");
            auto nl = text.find('\n', pos);
            const bool last = nl == std::string_view::npos;
            if (last)
                nl = text.size();
            const std::string_view phys = text.substr(pos, nl - pos);
            pos = last ? text.size() : nl + 1;
            ++lineno;
            if (!line.raw.empty() || lineno != first)
                line.raw += '\n';
            line.raw += phys;
            continued = !phys.empty() && phys.back() == '\\';
            joined += continued ? phys.substr(0, phys.size() - 1) : phys;
            joined += ' ';
        }

        const auto at = [&](const std::string& why) {
            return ConfParseError(origin + ":" + std::to_string(first) + ": " + why);
        };
        const auto start = joined.find_first_not_of(" \t\r\f\v");
        if (start == std::string::npos || joined[start] == '#') {
            conf.lines_.push_back(std::move(line));
            continue;
        }
        std::vector<std::string> words;
        if (!tokenize(joined, words))
            throw at("unbalanced quote");
        if (std::find(kDirectives.begin(), kDirectives.end(), words[0]) == kDirectives.end())
            throw at("unknown directive '" + words[0] + "'");
        if (words[0] == "options") {
            if (words.size() < 2)
                throw at("options without a module name");
            line.module_raw = words[1];
            line.module = normalize_module_name(words[1]);
            // The options of the servers keechoctl knows are checked.
            const Server* server = find_server(line.module);
            for (size_t i = 2; i < words.size(); ++i) {
                Token tok = make_token(words[i]);
                const KechoOption* opt = server != nullptr ? server->find_option(tok.key) : nullptr;
                if (opt != nullptr) {
                    if (!tok.has_value && opt->kind != ValueKind::Bool)
                        throw at(tok.key + " without a value");
                    const std::string value = tok.has_value ? tok.value : "1";
                    if (const auto problem = option_value_problem(*opt, value))
                        throw at(tok.raw + ": " + *problem);
                }
                line.params.push_back(std::move(tok));
            }
        }
        conf.lines_.push_back(std::move(line));
    }
    return conf;
}

ParamMap ModprobeConf::options(std::string_view module) const {
    const std::string want = normalize_module_name(module);
    ParamMap out;
    for (const auto& line : lines_) {
        if (line.module != want)
            continue;
        for (const auto& tok : line.params)
            out[tok.key] = tok.has_value ? tok.value : "1";
    }
    return out;
}

void ModprobeConf::set_option(std::string_view module, const std::string& key,
                              const std::string& value) {
    const std::string want = normalize_module_name(module);
    const std::string raw = key + "=" + value;
    bool found = false;
    Line* last = nullptr;
    for (auto& line : lines_) {
        if (line.module != want)
            continue;
        last = &line;
        for (auto& tok : line.params) {
            if (tok.key != key)
                continue;
            if (tok.raw != raw) {
                tok = make_token(raw);
                line.dirty = true;
            }
            found = true;
        }
    }
    if (found)
        return;
    if (last == nullptr) {
        Line line;
        line.module = want;
        line.module_raw = std::string(module);
        lines_.push_back(std::move(line));
        last = &lines_.back();
    }
    last->params.push_back(make_token(raw));
    last->dirty = true;
}

std::string ModprobeConf::render_line(const Line& line) {
    if (!line.dirty)
        return line.raw;
    std::string out = "options " + line.module_raw;
    for (const auto& tok : line.params)
        out += " " + tok.raw;
    return out;
}

std::string ModprobeConf::render() const {
    std::string out;
    for (const auto& line : lines_) {
        out += render_line(line);
        out += '\n';
    }
    return out;
}

} // namespace kecho::ctl
