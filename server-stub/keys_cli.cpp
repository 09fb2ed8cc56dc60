// `mehfil-server keys …` (keys_cli.h).
#include "keys_cli.h"

#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "meetings.h"
#include "wall_clock.h"
#include "store.h"

namespace mehfil::server {
namespace {

constexpr const char* kUsage =
    "usage: mehfil-server keys create --name NAME [--webhook-url URL] [--admin] [--db FILE]\n"
    "       mehfil-server keys list [--db FILE]\n"
    "       mehfil-server keys revoke KEY_ID [--db FILE]\n"
    "  --db FILE         the server's database (default data/mehfil.db)\n"
    "  --webhook-url URL where the site hears of its meetings (http:// or https://)\n"
    "  --admin           an operator's key for /api/admin (reports), not a booking site's\n";

int usage(const char* problem) {
  std::fprintf(stderr, "mehfil-server keys: %s\n%s", problem, kUsage);
  return 2;
}


}  // namespace

int run_keys_command(int argc, char** argv) {
  if (argc < 2) return usage("say create, list or revoke");
  const std::string_view verb = argv[1];
  std::string db = "data/mehfil.db", name, key_id;
  std::optional<std::string> webhook;
  bool admin = false;
  for (int i = 2; i < argc; ++i) {
    const std::string_view flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--db" && has_value) db = argv[++i];
    else if (flag == "--name" && has_value) name = argv[++i];
    else if (flag == "--webhook-url" && has_value) webhook = argv[++i];
    else if (flag == "--admin") admin = true;
    else if (verb == "revoke" && key_id.empty() && !flag.starts_with("--")) key_id = flag;
    else return usage(("unknown or incomplete " + std::string(flag)).c_str());
  }
  if (sodium_init() < 0) return 1;
  try {
    if (verb == "create") {
      if (name.empty() || name.size() > 100) return usage("create needs --name NAME (at most 100 characters)");
      if (webhook && !(webhook->starts_with("http://") || webhook->starts_with("https://"))) {
        return usage("--webhook-url must be http:// or https://");
      }
      if (const auto parent = std::filesystem::path(db).parent_path(); !parent.empty()) std::filesystem::create_directories(parent);
      Store store(db);
      const NewApiKey made = create_api_key(store, name, webhook, admin);
      std::printf("key id: %s\napi key (shown once; send it as Authorization: Bearer …): %s\n"
                  "webhook signing secret (HMAC-SHA256 of each webhook body): %s\n",
                  made.key_id.c_str(), made.api_key.c_str(), made.webhook_secret.c_str());
      return 0;
    }
    if (!std::filesystem::exists(db)) return usage(("no database at " + db).c_str());
    Store store(db);
    if (verb == "list") {
      for (const ApiKeyRecord& key : store.api_keys()) {
        std::printf("%s  %-24s  made %s%s%s%s\n", key.key_id.c_str(), key.name.c_str(), utc_minute(key.created_at).c_str(),
                    key.is_admin ? "  admin" : "",
                    key.revoked_at ? ("  revoked " + utc_minute(*key.revoked_at)).c_str() : "",
                    key.webhook_url ? ("  webhook " + *key.webhook_url).c_str() : "");
      }
      return 0;
    }
    if (verb == "revoke") {
      if (key_id.empty()) return usage("revoke needs the KEY_ID");
      if (!store.revoke_api_key(key_id, wall_clock_ms())) {
        std::fprintf(stderr, "mehfil-server keys: no key %s that is not revoked already\n", key_id.c_str());
        return 1;
      }
      std::printf("revoked %s\n", key_id.c_str());
      return 0;
    }
    return usage("say create, list or revoke");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mehfil-server keys: %s\n", error.what());
    return 1;
  }
}

}  // namespace mehfil::server
