#include "kooplab/data/expression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <numbers>

#include "kooplab/error.hpp"

namespace kooplab {

struct Expression::Node {
  enum class Kind { constant, variable, negate, add, subtract, multiply, divide, power, function };
  Kind kind = Kind::constant;
  double value = 0.0;
  double (*function)(double) = nullptr;
  std::unique_ptr<Node> left, right;
  int depth = 1;  // levels of the tree below and including this node

  arma::vec evaluate(const arma::vec& x) const {
    switch (kind) {
      case Kind::constant:
        return arma::vec(x.n_elem, arma::fill::value(value));
      case Kind::variable:
        return x;
      case Kind::negate:
        return -left->evaluate(x);
      case Kind::add:
        return left->evaluate(x) + right->evaluate(x);
      case Kind::subtract:
        return left->evaluate(x) - right->evaluate(x);
      case Kind::multiply:
        return left->evaluate(x) % right->evaluate(x);
      case Kind::divide:
        return left->evaluate(x) / right->evaluate(x);
      case Kind::power: {
        arma::vec base = left->evaluate(x);
        const arma::vec exponent = right->evaluate(x);
        for (arma::uword i = 0; i < base.n_elem; ++i) base(i) = std::pow(base(i), exponent(i));
        return base;
      }
      case Kind::function: {
        arma::vec inner = left->evaluate(x);
        inner.transform(function);
        return inner;
      }
    }
    return {};
  }
};

namespace {

using Node = Expression::Node;
using Kind = Node::Kind;

std::unique_ptr<Node> make(Kind kind, std::unique_ptr<Node> left = nullptr, std::unique_ptr<Node> right = nullptr) {
  auto node = std::make_unique<Node>();
  node->kind = kind;
  node->left = std::move(left);
  node->right = std::move(right);
  for (const auto* child : {node->left.get(), node->right.get()})
    if (child) node->depth = std::max(node->depth, child->depth + 1);
  return node;
}

// The text for an error message: long expressions are cut short.
std::string excerpt(const std::string& text) {
  constexpr std::size_t shown = 60;
  return text.size() <= shown ? text : fmt::format("{}… ({} characters)", text.substr(0, shown), text.size());
}

double (*function_named(const std::string& name))(double) {
  if (name == "sin") return [](double v) { return std::sin(v); };
  if (name == "cos") return [](double v) { return std::cos(v); };
  if (name == "tan") return [](double v) { return std::tan(v); };
  if (name == "exp") return [](double v) { return std::exp(v); };
  if (name == "log") return [](double v) { return std::log(v); };
  if (name == "sqrt") return [](double v) { return std::sqrt(v); };
  if (name == "abs") return [](double v) { return std::abs(v); };
  if (name == "tanh") return [](double v) { return std::tanh(v); };
  return nullptr;
}

// Recursive descent, one function per precedence level.
class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  std::unique_ptr<Node> parse() {
    if (text_.size() > max_expression_length)
      throw ConfigError(
          fmt::format("expression '{}': longer than {} characters", excerpt(text_), max_expression_length));
    auto root = sum();
    skip_space();
    if (at_ < text_.size()) fail(fmt::format("unexpected '{}'", text_[at_]));
    return root;
  }

 private:
  std::unique_ptr<Node> sum() {
    auto node = product();
    while (true) {
      if (accept("+"))
        node = make(Kind::add, std::move(node), product());
      else if (accept("-"))
        node = make(Kind::subtract, std::move(node), product());
      else
        return node;
      if (node->depth > max_expression_depth) fail_too_deep();
    }
  }

  std::unique_ptr<Node> product() {
    auto node = unary();
    while (true) {
      if (accept("*"))
        node = make(Kind::multiply, std::move(node), unary());
      else if (accept("/"))
        node = make(Kind::divide, std::move(node), unary());
      else
        return node;
      if (node->depth > max_expression_depth) fail_too_deep();
    }
  }

  // Every nested parse (parentheses, signs, powers, function arguments) passes here.
  std::unique_ptr<Node> unary() {
    if (++nesting_ > max_expression_depth) fail_too_deep();
    auto node = accept("-") ? make(Kind::negate, unary()) : accept("+") ? unary() : power();
    --nesting_;
    return node;
  }

  std::unique_ptr<Node> power() {
    auto base = primary();
    if (accept("^") || accept("**")) return make(Kind::power, std::move(base), unary());
    return base;
  }

  std::unique_ptr<Node> primary() {
    skip_space();
    if (at_ >= text_.size()) fail("unexpected end, expected a number, x, a function or '('");
    if (accept("(")) {
      auto inner = sum();
      expect(")");
      return inner;
    }
    const char c = text_[at_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (std::isalpha(static_cast<unsigned char>(c))) return name();
    fail(fmt::format("unexpected '{}', expected a number, x, a function or '('", c));
  }

  std::unique_ptr<Node> number() {
    const std::size_t start = at_;
    std::size_t used = 0;
    double value = 0.0;
    try {
      value = std::stod(text_.substr(at_), &used);
    } catch (const std::exception&) {
      fail("malformed number");
    }
    at_ = start + used;
    auto node = make(Kind::constant);
    node->value = value;
    return node;
  }

  std::unique_ptr<Node> name() {
    const std::size_t start = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_')) ++at_;
    const std::string word = text_.substr(start, at_ - start);
    if (word == "x") return make(Kind::variable);
    if (word == "pi" || word == "e") {
      auto node = make(Kind::constant);
      node->value = word == "pi" ? std::numbers::pi : std::numbers::e;
      return node;
    }
    const auto function = function_named(word);
    if (!function) {
      at_ = start;
      fail(fmt::format(
          "unknown name '{}' (the variable is x; constants pi, e; functions sin cos tan exp log sqrt abs tanh)", word));
    }
    expect("(");
    auto node = make(Kind::function, sum());
    node->function = function;
    expect(")");
    return node;
  }

  void skip_space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  bool peek(std::string_view token) {
    skip_space();
    return text_.compare(at_, token.size(), token) == 0;
  }
  bool accept(std::string_view token) {
    if (!peek(token)) return false;
    at_ += token.size();
    return true;
  }
  void expect(std::string_view token) {
    if (!accept(token)) fail(fmt::format("expected '{}'", token));
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw ConfigError(fmt::format("expression '{}', at character {}: {}", excerpt(text_), at_ + 1, message));
  }
  [[noreturn]] void fail_too_deep() const {
    fail(fmt::format("nested deeper than {} levels (parentheses, signs, functions and operators)",
                     max_expression_depth));
  }

  const std::string& text_;
  std::size_t at_ = 0;
  int nesting_ = 0;
};

}  // namespace

Expression::Expression(std::string text) : text_(std::move(text)), root_(Parser(text_).parse()) {}
Expression::~Expression() = default;
Expression::Expression(const Expression&) = default;
Expression& Expression::operator=(const Expression&) = default;

arma::vec Expression::operator()(const arma::vec& x) const { return root_->evaluate(x); }

double Expression::operator()(double x) const { return root_->evaluate(arma::vec{x})(0); }

}  // namespace kooplab
