// A KechoControl for tests: records every call, writes live values into a
// fake /sys (so the plan reads them back), and fails the Nth call on demand.
#pragma once

#include "kecho_control.h"
#include "test_util.h"

#include <cerrno>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kecho::ctl::test {

class FakeKecho final : public KechoControl {
  public:
    explicit FakeKecho(const TempDir& dir, std::string module = "kecho")
        : dir_(dir), module_(std::move(module)) {}

    // Calls as "set port=2000" and "reload", failed ones too.
    std::vector<std::string> calls;
    // 1-based number of the call that throws EADDRINUSE; 0: none does.
    std::size_t fail_call = 0;

    void set_param(const std::string& name, const std::string& value) override {
        record("set " + name + "=" + value);
        dir_.write("sys/module/" + module_ + "/parameters/" + name, value + "\n");
    }
    void reload() override { record("reload"); }

  private:
    void record(const std::string& call) {
        calls.push_back(call);
        if (calls.size() == fail_call)
            throw std::system_error(EADDRINUSE, std::generic_category(), call);
    }

    const TempDir& dir_;
    std::string module_;
};

} // namespace kecho::ctl::test
