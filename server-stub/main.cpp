// mehfil-server: one process, one port. REST under /api, signaling on /ws, the site as static files,
// GET /healthz; plain HTTP, or HTTPS/WSS with --tls-cert (SIGHUP re-reads the certificate). See
// server_config.h for the flags and README for the API.
//
// Threads: one I/O thread owns every socket and all room state, so the rules need no locks and a
// join racing a join is decided in arrival order; a small pool hashes passwords (argon2id is slow
// on purpose) and posts results back to the I/O thread.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>
#include <optional>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <curl/curl.h>
#include <sodium.h>

#include "accounts.h"
#include "connection_limits.h"
#include "http_policy.h"
#include "listener.h"
#include "log.h"
#include "mailer.h"
#include "meetings.h"
#include "webhooks.h"
#include "keys_cli.h"
#include "reports_cli.h"
#include "chat_files.h"
#include "recordings.h"
#include "room_hub.h"
#include "server_config.h"
#include "store.h"
#include "tls.h"
#include "tokens.h"

namespace {

// `sweeps`: what runs each time (the hub's rooms, the accounts' and meetings' budgets).
void sweep_every(boost::asio::steady_timer& timer, std::vector<std::function<void()>> sweeps,
                 std::chrono::milliseconds period) {
  timer.expires_after(period);
  timer.async_wait([&timer, sweeps = std::move(sweeps), period](boost::system::error_code ec) mutable {
    if (ec) return;
    for (const auto& sweep : sweeps) {
      try {
        sweep();
      } catch (const std::exception& error) {
        spdlog::error("sweep failed: {}", error.what());
      }
    }
    sweep_every(timer, std::move(sweeps), period);
  });
}

// SIGHUP: a renewed certificate is read again; connections made before keep theirs.
void reload_on_hangup(boost::asio::signal_set& hangup, std::optional<mehfil::server::TlsCertificate>& tls) {
  hangup.async_wait([&hangup, &tls](boost::system::error_code ec, int) {
    if (ec) return;
    if (!tls) {
      spdlog::info("SIGHUP: no certificate to reload (no --tls-cert)");
    } else if (const auto problem = tls->reload()) {
      spdlog::error("SIGHUP: the certificate was not reloaded, the old one stays: {}", *problem);
    } else {
      spdlog::info("SIGHUP: certificate reloaded");
    }
    reload_on_hangup(hangup, tls);
  });
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mehfil::server;
  // `mehfil-server keys …`: an operator's command on the database, not the server (keys_cli.h).
  if (argc > 1 && std::string_view(argv[1]) == "keys") return run_keys_command(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "reports") return run_reports_command(argc - 1, argv + 1);
  auto config = parse_flags(argc, argv);
  if (!config) return argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") ? 0 : 2;
  mehfil::server::log::init(config->log_level);
  curl_global_init(CURL_GLOBAL_DEFAULT);  // before any thread: mail and webhooks use libcurl
  if (sodium_init() < 0) {
    std::fputs("mehfil-server: libsodium failed to start\n", stderr);
    return 1;
  }
  std::optional<TlsCertificate> tls;
  if (!config->tls_cert.empty()) {
    std::string problem;
    tls = TlsCertificate::load(config->tls_cert, config->tls_key, problem);
    if (!tls) {
      std::fprintf(stderr, "mehfil-server: %s\n", problem.c_str());
      return 2;
    }
  }
  try {
    if (const auto parent = std::filesystem::path(config->db_path).parent_path(); !parent.empty()) {
      std::filesystem::create_directories(parent);
    }
    Store store(config->db_path);
    const std::string secret = store.secret(config->secret, random_token(32));
    if (const auto warning = HttpPolicy::startup_warning(*config)) std::fputs(warning->c_str(), stderr);
    raise_open_file_limit();
    // Both outlive the io_context: sessions still queued in it when it is destroyed refer to them.
    const HttpPolicy policy(*config);
    ConnectionLimits limits(config->max_connections, config->max_connections_per_address);
    boost::asio::io_context io(1);
    boost::asio::thread_pool hashing(2);
    // Recordings sit beside the database: data/recordings/.
    Recordings recordings(store, io, (std::filesystem::path(config->db_path).parent_path() / "recordings").string(),
                          config->recording_retention_days, config->recording_bytes_per_room, secret);
    // Files shared in chat too: data/chat-files/.
    ChatFiles chat_files(store, io, (std::filesystem::path(config->db_path).parent_path() / "chat-files").string(),
                         {config->chat_file_max_bytes, config->chat_file_types, config->chat_file_bytes_per_room, 0});
    RoomHub hub(store, *config, io, hashing, recordings, chat_files, secret);
    Mailer mailer(config->smtp_url, config->mail_from);
    if (!mailer.configured()) spdlog::warn("no --smtp-url: accounts work unverified, and no email (verification, password reset) can be sent");
    Accounts accounts(store, *config, io, hashing, mailer, secret,
                      [&hub](const std::string& user_id, const std::vector<std::string>& session_ids) {
                        hub.end_sessions(user_id, session_ids);
                      });
    Meetings meetings(store, hub, *config, secret);
    Webhooks webhooks(store, io);
    Profiles profiles(store, io, (std::filesystem::path(config->db_path).parent_path() / "avatars").string(),
                      [&hub](const std::string& user_id, const std::string& name) { hub.rename_user(user_id, name); });
    hub.watch_meetings([&webhooks](const RoomEvent& event) { webhooks.room_event(event); });
    auto listener = std::make_shared<Listener>(io, ApiContext{hub, store, recordings, accounts, meetings, webhooks, profiles, secret}, *config, policy, limits,
                                               tls ? &*tls : nullptr);
    std::printf("mehfil-server listening on %s://%s:%u/\n", tls ? "https" : "http", config->host.c_str(), listener->port());
    if (!config->public_url.empty()) std::printf("people open %s\n", config->public_url.c_str());
    std::fflush(stdout);
    log::startup(*config, listener->port());
    listener->run();

    boost::asio::steady_timer sweeper(io);
    sweep_every(sweeper, {[&hub] { hub.sweep(); }, [&accounts] { accounts.sweep(); }, [&meetings] { meetings.sweep(); },
                          [&profiles] { profiles.sweep(); }},
                config->sweep_every);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) { io.stop(); });
    boost::asio::signal_set hangup(io, SIGHUP);
    reload_on_hangup(hangup, tls);
    // The last line of defence: a handler that throws loses its own request, never the process.
    for (;;) {
      try {
        io.run();
        break;
      } catch (const std::exception& error) {
        spdlog::error("a request failed with an unexpected error: {}", error.what());
      }
    }
    spdlog::info("mehfil-server stopped");
    hashing.join();
  } catch (const std::exception& error) {
    spdlog::critical("mehfil-server cannot start: {}", error.what());
    return 1;
  }
  return 0;
}
