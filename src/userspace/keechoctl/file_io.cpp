#include "file_io.h"

#include "errors.h"
#include "unique_fd.h"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace kecho::ctl {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw_errno(err, what + " " + path);
}

// Removes the temporary file unless the rename happened.
class TempFile {
  public:
    explicit TempFile(std::string path) : path_(std::move(path)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    TempFile(TempFile&&) = delete;
    TempFile& operator=(TempFile&&) = delete;
    ~TempFile() {
        if (!committed_)
            ::unlink(path_.c_str());
    }
    void commit() { committed_ = true; }
    [[nodiscard]] const std::string& path() const { return path_; }

  private:
    std::string path_;
    bool committed_ = false;
};

} // namespace

std::optional<std::string> read_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            return std::nullopt;
        fail("cannot open", path, errno);
    }
    std::string content;
    std::array<char, 4096> buf{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot read", path, errno);
        }
        if (n == 0)
            break;
        content.append(buf.data(), static_cast<size_t>(n));
    }
    return content;
}

std::optional<std::string> read_first_line(const std::string& path) {
    auto content = read_file(path);
    if (!content)
        return std::nullopt;
    const auto nl = content->find('\n');
    if (nl != std::string::npos)
        content->resize(nl);
    return content;
}

bool path_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

void write_file_atomic(const std::string& path, const std::string& content) {
    mode_t mode = 0644;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0)
        mode = st.st_mode & 07777;
    else if (errno != ENOENT)
        fail("cannot stat", path, errno);

    std::string tmpl = path + ".keechoctl-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd)
        fail("cannot create a temporary file for", path, errno);
    TempFile tmp(name.data());

    if (::fchmod(fd.get(), mode) != 0)
        fail("cannot set the mode of", tmp.path(), errno);
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot write", tmp.path(), errno);
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd.get()) != 0)
        fail("cannot fsync", tmp.path(), errno);
    if (::close(fd.release()) != 0)
        fail("cannot close", tmp.path(), errno);
    if (::rename(tmp.path().c_str(), path.c_str()) != 0)
        fail("cannot rename " + tmp.path() + " to", path, errno);
    tmp.commit();

    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd)
        ::fsync(dfd.get()); // best effort: the rename itself already happened
}

} // namespace kecho::ctl
