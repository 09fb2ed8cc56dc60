// Logging for mehfil-server, through spdlog: one line per event on stderr, with a level, and with
// what the line is about (connection id, address, user, room) so an operator can follow one client.
// The server's code calls these few functions rather than spdlog directly, so every line about the
// same kind of event reads the same way.
//
// Refused requests (rate limits, bad input, permissions) are the part an attacker controls, so they
// go through a budget: at most kRefusedPerSecond lines a second, and a line saying how many were
// left out. Storage failures are always logged at error.
#pragma once

#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace mehfil::server {

class Connection;
struct ServerConfig;

namespace log {

// Sets the level ("trace", "debug", "info", "warn", "error", "off") and the line format.
void init(const std::string& level);
// What the server runs with: address, database, limits and quotas (never the secret).
void startup(const ServerConfig& config, unsigned short port);
// A request from this connection got `code`.
void refused(const Connection& connection, std::string_view code, std::string_view message);
// An HTTP request refused before it reached a connection of its own (caps, Host, CORS).
void refused_http(std::string_view address, unsigned status, std::string_view why);
void storage_failed(std::string_view what, std::string_view detail);
// The room's code history was compacted (authority/code_rules.h).
void code_compacted(std::string_view room_code, std::size_t updates, std::size_t from_bytes, std::size_t to_bytes);

}  // namespace log
}  // namespace mehfil::server
