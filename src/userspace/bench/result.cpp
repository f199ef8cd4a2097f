#include "result.h"

#include <array>
#include <cstdio>
#include <string>

namespace kecho::bench {

namespace {

std::string fmt(const char* f, double v) {
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), f, v);
    return buf.data();
}

double us(uint64_t ns) {
    return static_cast<double>(ns) / 1000.0;
}

std::string json_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            std::array<char, 8> buf{};
            std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
            out += buf.data();
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string format_human(const Result& r) {
    const auto& h = r.latency;
    std::string s = r.mode + (r.label.empty() ? "" : " [" + r.label + "]") + ": " +
                    std::to_string(r.conns) + " conns, " + std::to_string(r.threads) +
                    " threads, " + std::to_string(r.size) + " B, " + fmt("%.2f", r.seconds) +
                    " s\n";
    s += "  requests " + std::to_string(r.requests) + "  (" + fmt("%.1f", r.rate()) + " req/s, " +
         fmt("%.2f", r.seconds > 0 ? static_cast<double>(r.bytes) / r.seconds / 1e6 : 0.0) +
         " MB/s echoed)\n";
    s += "  latency us  p50 " + fmt("%.1f", us(h.percentile(50))) + "  p90 " +
         fmt("%.1f", us(h.percentile(90))) + "  p99 " + fmt("%.1f", us(h.percentile(99))) +
         "  p99.9 " + fmt("%.1f", us(h.percentile(99.9))) + "  max " + fmt("%.1f", us(h.max())) +
         "  mean " + fmt("%.1f", h.mean() / 1000.0) + "\n";
    if (r.client_cpu_s >= 0)
        s += "  cpu s  guest " + fmt("%.2f", r.guest_cpu_s) + "  client " +
             fmt("%.2f", r.client_cpu_s) + "  server " +
             (r.server_cpu_s >= 0 ? fmt("%.2f", r.server_cpu_s) : std::string("?")) + "\n";
    s += "  failures " + std::to_string(r.failures) + "  errors " + std::to_string(r.errors) + "\n";
    return s;
}

std::string csv_header() {
    return "mode,label,conns,threads,size,seconds,requests,req_per_s,bytes,p50_us,p90_us,p99_us,"
           "p999_us,max_us,mean_us,failures,errors,guest_cpu_s,client_cpu_s,server_cpu_s\n";
}

std::string format_csv(const Result& r) {
    const auto& h = r.latency;
    return r.mode + "," + r.label + "," + std::to_string(r.conns) + "," +
           std::to_string(r.threads) + "," + std::to_string(r.size) + "," + fmt("%.3f", r.seconds) +
           "," + std::to_string(r.requests) + "," + fmt("%.1f", r.rate()) + "," +
           std::to_string(r.bytes) + "," + fmt("%.1f", us(h.percentile(50))) + "," +
           fmt("%.1f", us(h.percentile(90))) + "," + fmt("%.1f", us(h.percentile(99))) + "," +
           fmt("%.1f", us(h.percentile(99.9))) + "," + fmt("%.1f", us(h.max())) + "," +
           fmt("%.1f", h.mean() / 1000.0) + "," + std::to_string(r.failures) + "," +
           std::to_string(r.errors) + "," + fmt("%.3f", r.guest_cpu_s) + "," +
           fmt("%.3f", r.client_cpu_s) + "," + fmt("%.3f", r.server_cpu_s) + "\n";
}

std::string format_json(const Result& r) {
    const auto& h = r.latency;
    return R"({"mode":")" + json_escape(r.mode) + R"(","label":")" + json_escape(r.label) +
           R"(","conns":)" + std::to_string(r.conns) + ",\"threads\":" + std::to_string(r.threads) +
           ",\"size\":" + std::to_string(r.size) + ",\"seconds\":" + fmt("%.3f", r.seconds) +
           ",\"requests\":" + std::to_string(r.requests) +
           ",\"req_per_s\":" + fmt("%.1f", r.rate()) + ",\"bytes\":" + std::to_string(r.bytes) +
           R"(,"latency_us":{"p50":)" + fmt("%.1f", us(h.percentile(50))) +
           ",\"p90\":" + fmt("%.1f", us(h.percentile(90))) +
           ",\"p99\":" + fmt("%.1f", us(h.percentile(99))) +
           ",\"p99.9\":" + fmt("%.1f", us(h.percentile(99.9))) +
           ",\"max\":" + fmt("%.1f", us(h.max())) + ",\"mean\":" + fmt("%.1f", h.mean() / 1000.0) +
           "},\"failures\":" + std::to_string(r.failures) +
           ",\"errors\":" + std::to_string(r.errors) + R"(,"cpu_s":{"guest":)" +
           fmt("%.3f", r.guest_cpu_s) + ",\"client\":" + fmt("%.3f", r.client_cpu_s) +
           ",\"server\":" + fmt("%.3f", r.server_cpu_s) + "}}\n";
}

} // namespace kecho::bench
