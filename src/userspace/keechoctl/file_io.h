// Small whole-file helpers with errors that name the file.
#pragma once

#include <optional>
#include <string>

namespace kecho::ctl {

// Whole file, or nullopt if it does not exist. Other errors throw SystemError.
std::optional<std::string> read_file(const std::string& path);

// First line without its newline, or nullopt if the file does not exist.
std::optional<std::string> read_first_line(const std::string& path);

bool path_exists(const std::string& path);

// Replace `path` atomically: write a temporary file beside it, fsync, rename,
// fsync the directory. Keeps the old file's mode (0644 for a new one). On any
// error the old file is untouched and the temporary file is removed.
void write_file_atomic(const std::string& path, const std::string& content);

} // namespace kecho::ctl
