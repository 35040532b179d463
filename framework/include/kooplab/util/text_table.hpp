#pragma once
// A table of text cells and its renderings: Markdown, CSV, aligned plain text
// for the terminal, and HTML.
#include <string>
#include <vector>

namespace kooplab {

struct TextTable {
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;

  std::string markdown() const;
  std::string csv() const;  // RFC 4180: fields with , " or line breaks quoted
  // The table of csv(): the first record is the head.
  static TextTable from_csv(const std::string& text);
  std::string aligned() const;  // columns padded to their widest cell (in code points)
  std::string html() const;
};

// Escapes &, <, > and " for HTML text and attributes.
std::string html_escaped(const std::string& text);

}  // namespace kooplab
