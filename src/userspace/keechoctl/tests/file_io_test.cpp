#include "errors.h"
#include "file_io.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

TEST_CASE("atomic replace writes the new content and leaves no temporary file", "[file]") {
    const TempDir dir;
    dir.write("a.conf", "old\n");
    ::chmod((dir.path() + "/a.conf").c_str(), 0600);
    write_file_atomic(dir.path() + "/a.conf", "new\n");
    CHECK(dir.read("a.conf") == "new\n");
    CHECK(dir.list("") == std::vector<std::string>{"a.conf"});
    struct stat st {};
    REQUIRE(::stat((dir.path() + "/a.conf").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
}

TEST_CASE("atomic replace creates missing files with mode 0644", "[file]") {
    const TempDir dir;
    write_file_atomic(dir.path() + "/b.conf", "x");
    struct stat st {};
    REQUIRE(::stat((dir.path() + "/b.conf").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0644);
}

TEST_CASE("a failed replace keeps the old file and cleans up", "[file]") {
    const TempDir dir;
    dir.write("c.conf", "keep\n");
    // rename() onto a non-empty directory fails after the temp file is written.
    dir.write("d.conf/inside", "");
    CHECK_THROWS_AS(write_file_atomic(dir.path() + "/d.conf", "lost"), std::system_error);
    CHECK(dir.read("c.conf") == "keep\n");
    auto names = dir.list("");
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"c.conf", "d.conf"});
    CHECK_THROWS_AS(write_file_atomic(dir.path() + "/missing/e.conf", "x"), std::system_error);
}

TEST_CASE("reading a missing file is nullopt, not an error", "[file]") {
    const TempDir dir;
    CHECK_FALSE(read_file(dir.path() + "/nope"));
    dir.write("f", "line1\nline2\n");
    CHECK(read_first_line(dir.path() + "/f") == "line1");
}
