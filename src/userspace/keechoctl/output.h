// Human output: left-aligned columns sized to their widest cell.
#pragma once

#include "sock_diag.h"

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kecho::ctl {

class Table {
  public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& os) const;

  private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// One socket as --json prints it.
nlohmann::json sock_json(const SockInfo& sock);

nlohmann::json socks_json(const std::vector<SockInfo>& socks);

// Stable order for listings: family, local port, local address, remote.
void sort_sockets(std::vector<SockInfo>& socks);

// A report: with --json one line of JSON, else `human` formats it.
void print_report(bool as_json, const nlohmann::json& report, std::ostream& os,
                  void (*human)(const nlohmann::json&, std::ostream&));

} // namespace kecho::ctl
