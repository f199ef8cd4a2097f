#include "test_util.h"

#include "cli.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace fs = std::filesystem;

#include <algorithm>

namespace kecho::ctl::test {

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "keechoctl-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
        FAIL("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void TempDir::write(const std::string& rel, const std::string& content) const {
    const fs::path p = fs::path(path_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

std::string TempDir::read(const std::string& rel) const {
    std::ifstream in(fs::path(path_) / rel, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> TempDir::list(const std::string& rel) const {
    std::vector<std::string> out;
    const fs::directory_iterator it(fs::path(path_) / rel);
    std::transform(fs::begin(it), fs::end(it), std::back_inserter(out),
                   [](const fs::directory_entry& e) { return e.path().filename().string(); });
    return out;
}

Paths fake_paths(const TempDir& dir, const std::string& module) {
    Paths p;
    p.proc_root = dir.path() + "/proc";
    p.sys_root = dir.path() + "/sys";
    p.modprobe_conf = dir.path() + "/etc/modprobe.d/" + module + ".conf";
    p.modules_root = dir.path() + "/lib/modules";
    fs::create_directories(dir.path() + "/etc/modprobe.d");
    fs::create_directories(dir.path() + "/lib/modules");
    fs::create_directories(dir.path() + "/proc/net");
    fs::create_directories(dir.path() + "/sys/module");
    return p;
}

void fake_kecho_loaded(const TempDir& dir, const std::vector<FakeParam>& params) {
    fake_module_loaded(dir, "kecho", params);
}

void fake_module_loaded(const TempDir& dir, const std::string& module,
                        const std::vector<FakeParam>& params) {
    dir.write("sys/module/" + module + "/initstate", "live\n");
    dir.write("sys/module/" + module + "/version", "0.1.0\n");
    for (const auto& p : params) {
        const std::string rel = "sys/module/" + module + "/parameters/" + p.name;
        dir.write(rel, p.value + "\n");
        fs::permissions(fs::path(dir.path()) / rel, p.live ? fs::perms(0644) : fs::perms(0444));
    }
}

std::vector<unsigned char> read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

CliRun run_cli_with(const Paths& paths, std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    Context ctx{paths, out, err};
    const int rc = run_cli(args, ctx);
    return {rc, out.str(), err.str()};
}

} // namespace kecho::ctl::test
