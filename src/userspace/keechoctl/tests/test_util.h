// Helpers for tests: a temporary directory tree that is removed afterwards,
// fake /sys and /proc files in it, and the CLI run in-process.
#pragma once

#include "paths.h"

#include <string>
#include <vector>

namespace kecho::ctl::test {

class TempDir {
  public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;
    ~TempDir();

    [[nodiscard]] const std::string& path() const { return path_; }
    // Write `content` to path()/rel, creating directories on the way.
    void write(const std::string& rel, const std::string& content) const;
    [[nodiscard]] std::string read(const std::string& rel) const;
    [[nodiscard]] std::vector<std::string> list(const std::string& rel) const;

  private:
    std::string path_;
};

// Paths rooted in `dir`: dir/proc, dir/sys, dir/etc/modprobe.d/MODULE.conf,
// dir/lib/modules.
Paths fake_paths(const TempDir& dir, const std::string& module = "kecho");

// One parameter file of a fake /sys/module/MODULE: mode 0644 when live, else 0444.
struct FakeParam {
    std::string name;
    std::string value;
    bool live = true;
};

// A fake /sys/module/kecho that looks loaded, with the given parameters.
void fake_kecho_loaded(const TempDir& dir, const std::vector<FakeParam>& params);

// The same for any module (khttpd).
void fake_module_loaded(const TempDir& dir, const std::string& module,
                        const std::vector<FakeParam>& params);

std::vector<unsigned char> read_binary(const std::string& path);

// keechoctl run in-process: its exit status and what it printed.
struct CliRun {
    int rc;
    std::string out;
    std::string err;
};

CliRun run_cli_with(const Paths& paths, std::vector<std::string> args);

} // namespace kecho::ctl::test
