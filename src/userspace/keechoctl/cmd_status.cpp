// keechoctl status [--json]
#include "command.h"
#include "errors.h"
#include "file_io.h"
#include "health.h"
#include "install_state.h"
#include "kecho_stats.h"
#include "modprobe_conf.h"
#include "module_state.h"
#include "number_parse.h"
#include "output.h"
#include "sock_diag.h"
#include "tcp_state.h"

#include <array>
#include <nlohmann/json.hpp>
#include <ostream>

namespace kecho::ctl {

namespace {

using nlohmann::json;

constexpr std::array<OptionSpec, 1> kOptions = {{
    {"--json", "", "print a JSON object"},
}};

constexpr std::chrono::milliseconds kEchoTimeout{2000};

json module_json(const ModuleState& mod) {
    json j = {{"name", mod.name()}, {"loaded", mod.loaded()}};
    if (const auto v = mod.version())
        j["version"] = *v;
    return j;
}

json conf_json(const Paths& paths, const std::string& module) {
    json j = {{"path", paths.modprobe_conf}};
    try {
        const auto text = read_file(paths.modprobe_conf);
        j["exists"] = text.has_value();
        if (text)
            j["options"] = ModprobeConf::parse(*text, paths.modprobe_conf).options(module);
    } catch (const std::exception& e) {
        j["error"] = e.what();
    }
    return j;
}

// Installed kernels, Secure Boot and the warnings of install_state.h. Each
// kernel's module file is under the module's name ("kecho": path or null).
void add_install(json& j, const InstallState& s) {
    json kernels = json::array();
    for (const auto& k : s.kernels) {
        json e = {{"release", k.release}, {"running", k.running}, {"headers", k.headers}};
        e[s.module] = k.module_path.empty() ? json(nullptr) : json(k.module_path);
        if (k.module) {
            e["srcversion"] = k.module->srcversion;
            e["signer"] = k.module->signer;
        }
        kernels.push_back(e);
    }
    j["kernels"] = kernels;
    j["secure_boot"] = secure_boot_summary(s);
    json warnings = missing_headers_warnings(s);
    if (const auto w = stale_module_warning(s))
        warnings.push_back(*w);
    j["warnings"] = warnings;
}

json collect(const Context& ctx) {
    const Server& server = *ctx.server;
    const std::string module(server.module);
    const ModuleState mod(ctx.paths, module);
    const ModuleState drop(ctx.paths, kDropModule);
    json j;
    j["server"] = module;
    j["modules"] = json::array({module_json(mod), module_json(drop)});
    j["modprobe_conf"] = conf_json(ctx.paths, module);
    const bool loaded = mod.loaded();
    if (loaded) {
        j["parameters"] = mod.params();
        // A kecho without the parameter only streams; khttpd has no modes.
        if (server.find_option("mode") != nullptr)
            j["mode"] = mod.param("mode").value_or("stream");
    }
    const auto port_text = mod.param("port");
    const auto port = port_text ? parse_decimal(*port_text) : std::nullopt;
    if (loaded && port) {
        try {
            json states = json::object();
            bool listening = false;
            NetlinkSockDiag diag;
            for (const auto& s : list_tcp_sockets(diag, kAllStates)) {
                if (s.sport != *port)
                    continue;
                if (s.state == kListen)
                    listening = true;
                else
                    states[std::string(tcp_state_name(s.state))] =
                        states.value(std::string(tcp_state_name(s.state)), 0) + 1;
            }
            j["listener"] = listening;
            j["connections"] = states;
        } catch (const std::exception& e) {
            j["sock_diag_error"] = e.what();
        }
    }
    if (const auto text = read_file(ctx.paths.stats_file(module))) {
        const KechoStats stats = parse_kecho_stats(*text);
        j["counters"] = stats.values;
        if (const auto m = message_counters(stats))
            j["messages"] = {{"in", m->in},
                             {"out", m->out},
                             {"oversize", m->oversize},
                             {"timeouts", m->timeouts}};
        if (const auto c = chat_counters(stats))
            j["chat"] = {{"clients", c->clients},
                         {"delivered", c->delivered},
                         {"slow_dropped", c->slow_dropped},
                         {"queued_bytes", c->queued_bytes}};
        if (const auto h = http_counters(stats))
            j["http"] = {{"requests", h->requests},
                         {"status_2xx", h->status_2xx},
                         {"status_3xx", h->status_3xx},
                         {"status_4xx", h->status_4xx},
                         {"status_5xx", h->status_5xx}};
    }
    SystemHealthProbe probe(ctx.paths, server, kEchoTimeout);
    const HealthReport report = check_health(probe, server);
    j["health"] = {{"healthy", report.healthy()}, {"reason", report.reason}};
    if (report.http_status != 0)
        j["health"]["http_status"] = report.http_status;
    add_install(j, inspect_install(ctx.paths, module));
    return j;
}

void print_human(const json& j, std::ostream& os) {
    const std::string module = j["server"].get<std::string>();
    for (const auto& m : j["modules"]) {
        os << m["name"].get<std::string>() << ": "
           << (m["loaded"].get<bool>() ? "loaded" : "not loaded");
        if (m.contains("version"))
            os << ", version " << m["version"].get<std::string>();
        os << "\n";
    }
    if (j.contains("parameters")) {
        os << "parameters:";
        for (const auto& [k, v] : j["parameters"].items())
            os << " " << k << "=" << shown_value(v.get<std::string>());
        os << "\n";
    }
    if (j.contains("mode")) {
        os << "mode: " << j["mode"].get<std::string>();
        if (j["mode"] == "message" || j["mode"] == "chat") {
            const auto& p = j["parameters"];
            os << " (length header " << p.value("msg_order", "be") << ", max_msg "
               << p.value("max_msg", "?") << " bytes, msg_timeout " << p.value("msg_timeout", "?")
               << " s";
            if (j["mode"] == "chat")
                os << ", chat_queue " << p.value("chat_queue", "?") << " bytes, chat_echo "
                   << p.value("chat_echo", "?") << ", chat_split " << p.value("chat_split", "?");
            os << ")";
        }
        os << "\n";
    }
    const auto& conf = j["modprobe_conf"];
    os << "modprobe.d: " << conf["path"].get<std::string>();
    if (conf.contains("error"))
        os << ": " << conf["error"].get<std::string>();
    else if (!conf["exists"].get<bool>())
        os << " (absent: module defaults)";
    else if (conf["options"].empty())
        os << " (no " << module << " options)";
    else
        for (const auto& [k, v] : conf["options"].items())
            os << " " << k << "=" << v.get<std::string>();
    os << "\n";
    if (j.contains("listener")) {
        os << "listener: " << (j["listener"].get<bool>() ? "present" : "MISSING") << " on port "
           << j["parameters"].value("port", "?") << "\n";
        os << "connections:";
        if (j["connections"].empty())
            os << " none";
        for (const auto& [k, v] : j["connections"].items())
            os << " " << k << " " << v.get<int>();
        os << "\n";
    }
    if (j.contains("sock_diag_error"))
        os << "connections: " << j["sock_diag_error"].get<std::string>() << "\n";
    if (j.contains("counters")) {
        os << "counters:";
        for (const auto& [k, v] : j["counters"].items())
            os << " " << k << " " << v.get<std::uint64_t>();
        os << "\n";
    }
    if (j.contains("messages")) {
        const auto& m = j["messages"];
        os << "messages: in " << m["in"].get<std::uint64_t>() << ", out "
           << m["out"].get<std::uint64_t>() << ", oversize " << m["oversize"].get<std::uint64_t>()
           << ", timeouts " << m["timeouts"].get<std::uint64_t>() << "\n";
    }
    if (j.contains("chat")) {
        const auto& c = j["chat"];
        os << "chat: clients " << c["clients"].get<std::uint64_t>() << ", delivered "
           << c["delivered"].get<std::uint64_t>() << ", slow_dropped "
           << c["slow_dropped"].get<std::uint64_t>() << ", queued_bytes "
           << c["queued_bytes"].get<std::uint64_t>() << "\n";
    }
    if (j.contains("http")) {
        const auto& h = j["http"];
        os << "requests: " << h["requests"].get<std::uint64_t>() << " (2xx "
           << h["status_2xx"].get<std::uint64_t>() << ", 3xx "
           << h["status_3xx"].get<std::uint64_t>() << ", 4xx "
           << h["status_4xx"].get<std::uint64_t>() << ", 5xx "
           << h["status_5xx"].get<std::uint64_t>() << ")\n";
    }
    os << "health: " << j["health"]["reason"].get<std::string>() << "\n";
    const char* label = "kernels: ";
    for (const auto& k : j["kernels"]) {
        os << label << k["release"].get<std::string>()
           << (k["running"].get<bool>() ? " (running)" : "") << ": "
           << (k["headers"].get<bool>() ? "headers" : "NO HEADERS") << ", ";
        if (k[module].is_null())
            os << "no " << module << " module";
        else
            os << module << " " << k[module].get<std::string>();
        os << "\n";
        label = "         ";
    }
    os << "secure boot: " << j["secure_boot"].get<std::string>() << "\n";
    for (const auto& w : j["warnings"])
        os << "WARNING: " << w.get<std::string>() << "\n";
}

int run(const ParsedArgs& args, Context& ctx) {
    print_report(args.has("--json"), collect(ctx), ctx.out, print_human);
    return kExitOk;
}

} // namespace

const Command& status_command() {
    static const Command cmd{"status", "[--json]",
                             "modules, parameters, listener, connections, counters and health",
                             kOptions, run};
    return cmd;
}

} // namespace kecho::ctl
