#include "whiteboard/element_json.h"

#include <cmath>
#include <cstdio>

#include "protocol/validation.h"

namespace mehfil::whiteboard {
namespace {

using nlohmann::json;

constexpr std::pair<std::string_view, ElementKind> kKinds[] = {
    {"freehand", ElementKind::freehand}, {"line", ElementKind::line}, {"arrow", ElementKind::arrow},
    {"rectangle", ElementKind::rectangle}, {"ellipse", ElementKind::ellipse}, {"text", ElementKind::text}};

float round_tenth(float v) { return std::round(v * 10.f) / 10.f; }
// Written as doubles rounded to 0.1, so 0.1f goes out as "0.1", not "0.10000000149011612".
double tenth(float v) { return std::round(static_cast<double>(v) * 10.0) / 10.0; }

std::string colour_text(std::uint32_t rgba) {
  char text[10];
  std::snprintf(text, sizeof text, "#%08x", rgba);
  return text;
}

std::optional<std::uint32_t> colour_from(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() != 9 || text[0] != '#') return std::nullopt;
  std::uint32_t rgba = 0;
  for (std::size_t i = 1; i < 9; ++i) {
    const char c = text[i];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0) return std::nullopt;
    rgba = rgba << 4 | static_cast<std::uint32_t>(digit);
  }
  return rgba;
}

// An element id is "<author>:<counter>" with the author a protocol id.
bool is_element_id(const std::string& id) {
  const auto colon = id.rfind(':');
  if (id.size() > kMaxIdChars || colon == std::string::npos || colon + 1 == id.size()) return false;
  for (std::size_t i = colon + 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  return protocol::is_id(std::string_view(id).substr(0, colon));
}

}  // namespace

std::string_view to_string(ElementKind kind) {
  for (const auto& [name, value] : kKinds) {
    if (value == kind) return name;
  }
  return "freehand";
}

ElementRead read_element(const json& j) {
  const auto fail = [](std::string problem) { return ElementRead{std::nullopt, std::move(problem)}; };
  if (!j.is_object()) return fail("an op must be an object");
  Element e;
  const auto id = j.find("id");
  if (id == j.end() || !id->is_string() || !is_element_id(id->get<std::string>())) return fail("id must be \"<author>:<counter>\"");
  e.id = id->get<std::string>();

  const auto kind = j.find("kind");
  if (kind == j.end() || !kind->is_string()) return fail("kind is required");
  bool known = false;
  for (const auto& [name, value] : kKinds) {
    if (kind->get_ref<const std::string&>() == name) {
      e.kind = value;
      known = true;
    }
  }
  if (!known) return fail("kind must be freehand, line, arrow, rectangle, ellipse or text");

  const auto points = j.find("points");
  if (points == j.end() || !points->is_array() || points->size() % 2 != 0) return fail("points must be an array of x, y pairs");
  if (points->size() / 2 > kMaxPoints) return fail("a stroke may have at most 5000 points");
  const std::size_t needed = e.kind == ElementKind::freehand ? 1 : e.kind == ElementKind::text ? 1 : 2;
  if (points->size() / 2 < needed) return fail("points has too few points for this kind");
  if (e.kind != ElementKind::freehand && points->size() / 2 > 2) return fail("only freehand strokes have more than two points");
  e.points.reserve(points->size() / 2);
  for (std::size_t i = 0; i < points->size(); i += 2) {
    const json& x = (*points)[i];
    const json& y = (*points)[i + 1];
    if (!x.is_number() || !y.is_number()) return fail("points must be numbers");
    const double xv = x.get<double>(), yv = y.get<double>();
    if (!std::isfinite(xv) || !std::isfinite(yv) || std::abs(xv) > kMaxCoordinate || std::abs(yv) > kMaxCoordinate) {
      return fail("coordinates must be finite and within 1e6");
    }
    e.points.emplace_back(round_tenth(static_cast<float>(xv)), round_tenth(static_cast<float>(yv)));
  }

  if (const auto text = j.find("text"); text != j.end()) {
    if (!text->is_string()) return fail("text must be a string");
    const auto length = protocol::utf8_length(text->get_ref<const std::string&>());
    if (!length || *length > kMaxTextChars) return fail("text must be at most 2000 characters");
    e.text = text->get<std::string>();
  }
  if (const auto size = j.find("font_size"); size != j.end()) {
    if (!size->is_number() || !(size->get<double>() >= 4 && size->get<double>() <= 400)) return fail("font_size must be from 4 to 400");
    e.font_size = static_cast<float>(size->get<double>());
  }
  if (const auto stroke = j.find("stroke"); stroke != j.end()) {
    const auto rgba = colour_from(*stroke);
    if (!rgba) return fail("stroke must be a colour like #1e1e1eff");
    e.style.stroke = *rgba;
  }
  if (const auto fill = j.find("fill"); fill != j.end()) {
    const auto rgba = colour_from(*fill);
    if (!rgba) return fail("fill must be a colour like #ffcc00ff");
    e.style.fill = *rgba;
  }
  if (const auto width = j.find("width"); width != j.end()) {
    if (!width->is_number() || !(width->get<double>() > 0 && width->get<double>() <= kMaxStrokeWidth)) return fail("width must be above 0 and at most 200");
    e.style.width = round_tenth(static_cast<float>(width->get<double>()));
  }
  for (auto [name, into] : {std::pair{"filled", &e.style.filled}, std::pair{"deleted", &e.deleted}}) {
    if (const auto flag = j.find(name); flag != j.end()) {
      if (!flag->is_boolean()) return fail(std::string(name) + " must be true or false");
      *into = flag->get<bool>();
    }
  }
  if (const auto z = j.find("z"); z != j.end()) {
    if (!z->is_string() || z->get_ref<const std::string&>().size() > 64) return fail("z must be a short string");
    e.z = z->get<std::string>();
  }
  const auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || version->get<std::int64_t>() < 1) return fail("version must be a whole number from 1");
  e.version = version->get<std::int64_t>();
  const auto nonce = j.find("version_nonce");
  if (nonce == j.end() || !nonce->is_number_integer() || nonce->get<std::int64_t>() < 0 ||
      nonce->get<std::int64_t>() > 0xffffffffLL) {
    return fail("version_nonce must be a 32-bit whole number");
  }
  e.version_nonce = static_cast<std::uint32_t>(nonce->get<std::int64_t>());
  return {std::move(e), {}};
}

json write_element(const Element& e) {
  json points = json::array();
  for (const glm::vec2& p : e.points) {
    points.push_back(tenth(p.x));
    points.push_back(tenth(p.y));
  }
  // nlohmann's object keeps keys sorted, so the text is canonical.
  return {{"id", e.id},
          {"kind", std::string(to_string(e.kind))},
          {"points", std::move(points)},
          {"text", e.text},
          {"font_size", tenth(e.font_size)},
          {"stroke", colour_text(e.style.stroke)},
          {"width", tenth(e.style.width)},
          {"filled", e.style.filled},
          {"fill", colour_text(e.style.fill)},
          {"z", e.z},
          {"version", e.version},
          {"version_nonce", e.version_nonce},
          {"deleted", e.deleted}};
}

}  // namespace mehfil::whiteboard
