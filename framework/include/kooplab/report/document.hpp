#pragma once
// A report as a list of blocks, written out as Markdown (figures linked) or
// as one self-contained HTML page (figures embedded).
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "kooplab/util/text_table.hpp"

namespace kooplab {

class Document {
 public:
  explicit Document(std::string title) : title_(std::move(title)) {}

  void heading(std::string text) { blocks_.push_back(Heading{std::move(text)}); }
  // Plain text; `code` spans are kept as such.
  void paragraph(std::string text) { blocks_.push_back(Paragraph{std::move(text)}); }
  void list(std::vector<std::string> items) { blocks_.push_back(List{std::move(items)}); }
  void table(TextTable table) { blocks_.push_back(std::move(table)); }
  void code(std::string text, std::string language) { blocks_.push_back(Code{std::move(text), std::move(language)}); }
  // A figure drawn as PNG and SVG: Markdown shows the SVG and links the PNG,
  // HTML embeds the SVG.
  void figure(std::string caption, std::filesystem::path png, std::filesystem::path svg) {
    blocks_.push_back(Figure{std::move(caption), std::move(png), std::move(svg)});
  }

  // Image paths are written relative to `folder`, where the Markdown file goes.
  std::string markdown(const std::filesystem::path& folder) const;
  // Figures are embedded as data: URIs, so the page needs nothing beside it.
  std::string html() const;

 private:
  struct Heading {
    std::string text;
  };
  struct Paragraph {
    std::string text;
  };
  struct List {
    std::vector<std::string> items;
  };
  struct Code {
    std::string text, language;
  };
  struct Figure {
    std::string caption;
    std::filesystem::path png, svg;
  };
  std::string title_;
  std::vector<std::variant<Heading, Paragraph, List, TextTable, Code, Figure>> blocks_;
};

// RFC 4648 base64 of `bytes`.
std::string base64(const std::string& bytes);

}  // namespace kooplab
