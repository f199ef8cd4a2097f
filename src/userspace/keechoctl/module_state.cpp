#include "module_state.h"

#include "errors.h"
#include "file_io.h"
#include "unique_fd.h"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace kecho::ctl {

namespace {

struct DirCloser {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};

} // namespace

bool ModuleState::loaded() const {
    const auto state = read_first_line(paths_.module_dir(module_) + "/initstate");
    if (state)
        return *state == "live";
    // Built-in modules have no initstate, but have parameters or a version.
    return path_exists(paths_.module_params_dir(module_)) &&
           !path_exists(paths_.module_dir(module_) + "/refcnt");
}

std::optional<std::string> ModuleState::version() const {
    return read_first_line(paths_.module_dir(module_) + "/version");
}

std::vector<std::string> ModuleState::param_names() const {
    std::vector<std::string> out;
    const std::string dir = paths_.module_params_dir(module_);
    const std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
    if (!d)
        return out;
    while (const dirent* ent = ::readdir(d.get())) {
        std::string param_name = ent->d_name;
        if (param_name != "." && param_name != "..")
            out.push_back(std::move(param_name));
    }
    return out;
}

ParamMap ModuleState::params() const {
    ParamMap out;
    for (const auto& param_name : param_names())
        if (auto value = param(param_name))
            out[param_name] = std::move(*value);
    return out;
}

std::set<std::string> ModuleState::live_params() const {
    std::set<std::string> out;
    for (const auto& param_name : param_names()) {
        struct stat st {};
        const std::string path = paths_.module_params_dir(module_) + "/" + param_name;
        if (::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IWUSR) != 0)
            out.insert(param_name);
    }
    return out;
}

std::optional<std::string> ModuleState::param(const std::string& name) const {
    try {
        return read_first_line(paths_.module_params_dir(module_) + "/" + name);
    } catch (const std::system_error&) {
        return std::nullopt; // write-only or unreadable parameter
    }
}

void ModuleState::set_param(const std::string& name, const std::string& value) const {
    const std::string path = paths_.module_params_dir(module_) + "/" + name;
    // O_TRUNC as `echo >` uses it: sysfs ignores it, plain files (tests) need it.
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd)
        throw_errno("cannot open " + path);
    const ssize_t n = ::write(fd.get(), value.data(), value.size());
    if (n < 0)
        throw_errno("cannot set " + module_ + " " + name + "=" + value);
    if (static_cast<size_t>(n) != value.size())
        throw SystemError("cannot set " + module_ + " " + name + "=" + value + ": short write");
}

} // namespace kecho::ctl
