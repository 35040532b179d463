#include "kooplab/report/document.hpp"

#include <fmt/format.h>

#include "kooplab/util/files.hpp"

namespace kooplab {
namespace {

template <class... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};

// HTML of plain text with `code` spans.
std::string inline_html(const std::string& text) {
  std::string out;
  bool in_code = false;
  std::string run;
  for (const char c : text) {
    if (c != '`') {
      run += c;
      continue;
    }
    out += html_escaped(run) + (in_code ? "</code>" : "<code>");
    run.clear();
    in_code = !in_code;
  }
  out += html_escaped(run);
  return in_code ? out + "</code>" : out;
}

const char* const style =
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}"
    "table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;"
    "text-align:left}th{background:#f3f3f3}pre{background:#f6f6f6;padding:.75rem;overflow-x:auto;font-size:.85rem}"
    "figure{margin:1.5rem 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#555}"
    "code{background:#f3f3f3;padding:0 .2rem}";

}  // namespace

std::string Document::markdown(const std::filesystem::path& folder) const {
  std::string out = "# " + title_ + "\n";
  for (const auto& block : blocks_) {
    out += "\n";
    std::visit(Overloaded{
                   [&](const Heading& b) { out += "## " + b.text + "\n"; },
                   [&](const Paragraph& b) { out += b.text + "\n"; },
                   [&](const List& b) {
                     for (const auto& item : b.items) out += "- " + item + "\n";
                   },
                   [&](const TextTable& b) { out += b.markdown(); },
                   [&](const Code& b) {
                     out += "```" + b.language + "\n" + b.text + (b.text.ends_with('\n') ? "" : "\n") + "```\n";
                   },
                   // The SVG is shown (text: small in a repository, sharp at any size), the PNG linked.
                   [&](const Figure& b) {
                     out += fmt::format("![{}]({})\n\n*{}* ([PNG]({}))\n", b.caption,
                                        b.svg.lexically_relative(folder).string(), b.caption,
                                        b.png.lexically_relative(folder).string());
                   },
               },
               block);
  }
  return out;
}

std::string Document::html() const {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}</style>\n"
      "</head>\n<body>\n<h1>{}</h1>\n",
      html_escaped(title_), style, html_escaped(title_));
  for (const auto& block : blocks_) {
    std::visit(
        Overloaded{
            [&](const Heading& b) { out += "<h2>" + inline_html(b.text) + "</h2>\n"; },
            [&](const Paragraph& b) { out += "<p>" + inline_html(b.text) + "</p>\n"; },
            [&](const List& b) {
              out += "<ul>\n";
              for (const auto& item : b.items) out += "<li>" + inline_html(item) + "</li>\n";
              out += "</ul>\n";
            },
            [&](const TextTable& b) { out += b.html(); },
            [&](const Code& b) { out += "<pre><code>" + html_escaped(b.text) + "</code></pre>\n"; },
            [&](const Figure& b) {
              out += fmt::format(
                  "<figure><img alt=\"{}\" src=\"data:image/svg+xml;base64,{}\"><figcaption>{}</figcaption></figure>\n",
                  html_escaped(b.caption), base64(read_file(b.svg)), inline_html(b.caption));
            },
        },
        block);
  }
  return out + "</body>\n</html>\n";
}

std::string base64(const std::string& bytes) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    std::uint32_t chunk = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
    if (left > 1) chunk |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (left > 2) chunk |= std::uint32_t(static_cast<unsigned char>(bytes[i + 2]));
    out += alphabet[(chunk >> 18) & 63];
    out += alphabet[(chunk >> 12) & 63];
    out += left > 1 ? alphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? alphabet[chunk & 63] : '=';
  }
  return out;
}

}  // namespace kooplab
