#include "result.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace kecho::bench;

namespace {

Result sample() {
    Result r;
    r.mode = "rr";
    r.label = "user-echo-server";
    r.conns = 64;
    r.threads = 2;
    r.size = 64;
    r.seconds = 2.0;
    r.requests = 1000;
    r.bytes = 64000;
    r.failures = 3;
    r.errors = 1;
    r.guest_cpu_s = 1.5;
    r.client_cpu_s = 1.0;
    r.server_cpu_s = 0.25;
    for (uint64_t i = 1; i <= 1000; ++i)
        r.latency.record(i * 1000); // 1..1000 us
    return r;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string f;
    while (std::getline(in, f, sep))
        out.push_back(f);
    return out;
}

} // namespace

TEST_CASE("csv row lines up with the header") {
    auto head = split(csv_header().substr(0, csv_header().size() - 1), ',');
    const std::string row = format_csv(sample());
    REQUIRE(row.back() == '\n');
    auto cells = split(row.substr(0, row.size() - 1), ',');
    REQUIRE(head.size() == cells.size());
    auto cell = [&](const std::string& name) {
        for (std::size_t i = 0; i < head.size(); ++i)
            if (head[i] == name)
                return cells[i];
        FAIL("no column " << name);
        return std::string();
    };
    CHECK(cell("mode") == "rr");
    CHECK(cell("label") == "user-echo-server");
    CHECK(cell("conns") == "64");
    CHECK(cell("requests") == "1000");
    CHECK(cell("req_per_s") == "500.0");
    CHECK(std::stod(cell("p50_us")) >= 500.0);
    CHECK(std::stod(cell("p50_us")) <= 500.0 * 65 / 64);
    CHECK(std::stod(cell("p99_us")) >= 990.0);
    CHECK(cell("max_us") == "1000.0");
    CHECK(cell("failures") == "3");
    CHECK(cell("errors") == "1");
    CHECK(cell("guest_cpu_s") == "1.500");
    CHECK(cell("client_cpu_s") == "1.000");
    CHECK(cell("server_cpu_s") == "0.250");
}

TEST_CASE("json row carries the same numbers") {
    const std::string j = format_json(sample());
    CHECK(j.front() == '{');
    CHECK(j.find("\"mode\":\"rr\"") != std::string::npos);
    CHECK(j.find("\"req_per_s\":500.0") != std::string::npos);
    CHECK(j.find("\"failures\":3") != std::string::npos);
    CHECK(j.find("\"errors\":1") != std::string::npos);
    CHECK(j.find("\"max\":1000.0") != std::string::npos);
    CHECK(j.find("\"p99.9\":") != std::string::npos);
    CHECK(j.find(R"("cpu_s":{"guest":1.500,"client":1.000,"server":0.250})") != std::string::npos);
}

TEST_CASE("human output names rate, percentiles, failures and errors") {
    const std::string h = format_human(sample());
    CHECK(h.find("500.0 req/s") != std::string::npos);
    CHECK(h.find("p99.9") != std::string::npos);
    CHECK(h.find("failures 3") != std::string::npos);
    CHECK(h.find("errors 1") != std::string::npos);
}

TEST_CASE("an empty result prints zeros, not garbage") {
    Result r;
    r.mode = "idle";
    CHECK(format_csv(r).find("nan") == std::string::npos);
    CHECK(format_human(r).find("nan") == std::string::npos);
    CHECK(format_json(r).find("inf") == std::string::npos);
}
