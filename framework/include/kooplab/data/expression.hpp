#pragma once
// A real function of one variable x, parsed from text such as
// "x + sin(2*pi*x^4)" or "cos(32*pi*x)^3".
//
// Grammar: numbers, x, pi, e; + − * / and ^ (also **, right-associative,
// binding tighter than unary minus: -x^2 = −(x²)); parentheses; the functions
// sin cos tan exp log sqrt abs tanh.
//
// Limits (parsing and evaluating recurse along the tree): at most
// max_expression_length characters, and at most max_expression_depth levels
// of nesting, counting parentheses, signs, function calls and operators
// (a sum of n terms is n − 1 levels deep).
#include <armadillo>
#include <memory>
#include <string>

namespace kooplab {

inline constexpr std::size_t max_expression_length = 10000;
inline constexpr int max_expression_depth = 200;

class Expression {
 public:
  // Throws ConfigError naming the position of the first syntax error.
  explicit Expression(std::string text);
  ~Expression();
  Expression(const Expression&);
  Expression& operator=(const Expression&);

  arma::vec operator()(const arma::vec& x) const;
  double operator()(double x) const;
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
};

}  // namespace kooplab
