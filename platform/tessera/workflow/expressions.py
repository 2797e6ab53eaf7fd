"""Step conditions: a tiny, safe expression language over a record's declared fields.

``amount > 10000 and department in ['sales', 'ops']``

Conditions are written by tenant admins, so they are parsed by hand — a tokenizer and a
recursive-descent parser — and never reach ``eval``. Input is bounded (length, tokens, nesting)
so a hostile condition costs little. :func:`check` types an expression against the fields'
types when a definition is saved, so "number compared to a string" is refused then, not when a
request is waiting; :func:`evaluate` runs it against a record's values.

Grammar::

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := operand (('=' | '!=' | '<' | '<=' | '>' | '>=') operand
                        | 'not'? 'in' '[' literal (',' literal)* ']')?
    operand := number | 'string' | true | false | null | field | '(' expr ')'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from typing import Literal as TypingLiteral

MAX_LENGTH = 1000
MAX_TOKENS = 200
MAX_DEPTH = 16
MAX_LIST_ITEMS = 100
MAX_NUMBER_DIGITS = 30

#: The types a value can have: fields of other column types (dates, ids) are ``other``.
Type = TypingLiteral["number", "string", "boolean", "null", "other"]
COMPARISONS = ("=", "!=", "<=", ">=", "<", ">")
KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})


class ExpressionError(ValueError):
    """The expression is malformed or ill-typed; ``position`` is the 0-based character index."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position


# --- Tokens -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # number, string, name, op, punct, end
    text: str
    position: int
    value: Any = None


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_OPERATORS = ("!=", "<=", ">=", "=", "<", ">")
_PUNCTUATION = "()[],-"


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters", MAX_LENGTH)
    tokens: list[Token] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char in " \t\r\n":
            index += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            raise ExpressionError(f"more than {MAX_TOKENS} tokens", index)
        token = _next_token(source, index)
        tokens.append(token)
        index += len(token.text)
    tokens.append(Token("end", "", len(source)))
    return tokens


def _next_token(source: str, index: int) -> Token:
    char = source[index]
    if char == "'":
        return _string(source, index)
    if number := _NUMBER.match(source, index):
        return _number(number.group(), index)
    if name := _NAME.match(source, index):
        if name.end() < len(source) and (source[name.end()].isalnum() or source[name.end()] == "_"):
            raise ExpressionError("a name is at most 63 characters", index)
        return Token("name", name.group(), index, name.group())
    for operator in _OPERATORS:
        if source.startswith(operator, index):
            return Token("op", operator, index, operator)
    if char in _PUNCTUATION:
        return Token("punct", char, index, char)
    raise ExpressionError(f"unexpected character {char!r}", index)


def _number(text: str, index: int) -> Token:
    if len(text) > MAX_NUMBER_DIGITS:
        raise ExpressionError(f"a number has at most {MAX_NUMBER_DIGITS} digits", index)
    try:
        return Token("number", text, index, Decimal(text))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ExpressionError("not a number", index) from None


def _string(source: str, start: int) -> Token:
    """A single-quoted string; ``\\'`` and ``\\\\`` are the only escapes."""
    chars: list[str] = []
    index = start + 1
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source) and source[index + 1] in "'\\":
            chars.append(source[index + 1])
            index += 2
            continue
        if char == "'":
            return Token("string", source[start : index + 1], start, "".join(chars))
        if char == "\x00":
            raise ExpressionError("a string must not contain NUL", index)
        chars.append(char)
        index += 1
    raise ExpressionError("unterminated string", start)


# --- Syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Const:
    value: Decimal | str | bool | None
    position: int


@dataclass(frozen=True, slots=True)
class FieldRef:
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Node
    right: Node
    position: int


@dataclass(frozen=True, slots=True)
class InList:
    needle: Node
    items: tuple[Const, ...]
    negated: bool
    position: int


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # and | or
    items: tuple[Node, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Not:
    item: Node
    position: int


Node = Const | FieldRef | Compare | InList | BoolOp | Not


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _is(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def _keyword(self, word: str) -> bool:
        return self._is("name", word)

    def _expect(self, kind: str, text: str, what: str) -> Token:
        if not self._is(kind, text):
            raise ExpressionError(f"expected {what}", self.current.position)
        return self._advance()

    def _nested(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} deep", position)

    def parse(self) -> Node:
        if self._is("end"):
            raise ExpressionError("the expression is empty", 0)
        node = self.expr()
        if not self._is("end"):
            raise ExpressionError(f"unexpected {self.current.text!r}", self.current.position)
        return node

    def expr(self) -> Node:
        return self._chain("or", self.conjunction)

    def conjunction(self) -> Node:
        return self._chain("and", self.negation)

    def _chain(self, word: str, operand: Callable[[], Node]) -> Node:
        first = operand()
        items = [first]
        while self._keyword(word):
            self._advance()
            items.append(operand())
        if len(items) == 1:
            return first
        return BoolOp(word, tuple(items), _position(first))

    def negation(self) -> Node:
        if self._keyword("not"):
            token = self._advance()
            self._nested(token.position)
            item = self.negation()
            self.depth -= 1
            return Not(item, token.position)
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        if self._is("op"):
            op = self._advance()
            return Compare(op.text, left, self.operand(), op.position)
        if self._keyword("in") or (self._keyword("not") and self._next_is_in()):
            negated = self._keyword("not")
            if negated:
                self._advance()
            token = self._advance()
            return InList(left, self.literal_list(), negated, token.position)
        return left

    def _next_is_in(self) -> bool:
        following = self.tokens[self.index + 1]
        return following.kind == "name" and following.text == "in"

    def literal_list(self) -> tuple[Const, ...]:
        self._expect("punct", "[", "'[' after 'in'")
        items: list[Const] = []
        while not self._is("punct", "]"):
            if items:
                self._expect("punct", ",", "',' or ']'")
            if len(items) >= MAX_LIST_ITEMS:
                raise ExpressionError(
                    f"a list has at most {MAX_LIST_ITEMS} items", self.current.position
                )
            item = self.operand()
            if not isinstance(item, Const):
                raise ExpressionError("a list holds only literal values", _position(item))
            items.append(item)
        self._advance()
        if not items:
            raise ExpressionError("the list is empty", self.current.position)
        return tuple(items)

    def operand(self) -> Node:
        token = self.current
        if token.kind == "number":
            self._advance()
            return Const(token.value, token.position)
        if token.kind == "string":
            self._advance()
            return Const(token.value, token.position)
        if self._is("punct", "-"):
            self._advance()
            if not self._is("number"):
                raise ExpressionError("'-' must be followed by a number", token.position)
            return Const(-self._advance().value, token.position)
        if self._is("punct", "("):
            self._advance()
            self._nested(token.position)
            inner = self.expr()
            self.depth -= 1
            self._expect("punct", ")", "')'")
            return inner
        if token.kind == "name":
            return self._name(token)
        if token.kind == "end":
            raise ExpressionError("the expression ends too early", token.position)
        raise ExpressionError(f"unexpected {token.text!r}", token.position)

    def _name(self, token: Token) -> Node:
        literals: dict[str, bool | None] = {"true": True, "false": False, "null": None}
        if token.text in literals:
            self._advance()
            return Const(literals[token.text], token.position)
        if token.text in KEYWORDS:
            raise ExpressionError(f"unexpected {token.text!r}", token.position)
        self._advance()
        return FieldRef(token.text, token.position)


def _position(node: Node) -> int:
    return node.position


def parse(source: str) -> Node:
    """The syntax tree of ``source``; :class:`ExpressionError` if it is not an expression."""
    return _Parser(tokenize(source)).parse()


# --- Types --------------------------------------------------------------------------------


def type_of_value(value: Any) -> Type:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    return "other"


def check(node: Node, field_types: Mapping[str, Type]) -> None:
    """Refuse an expression that is not a condition over these fields, or mixes types."""
    result = _type(node, field_types)
    if result not in ("boolean", "other"):
        raise ExpressionError(f"a condition must be true or false, not a {result}", node.position)


def _type(node: Node, field_types: Mapping[str, Type]) -> Type:
    if isinstance(node, Const):
        return type_of_value(node.value)
    if isinstance(node, FieldRef):
        if node.name not in field_types:
            raise ExpressionError(f"unknown field {node.name!r}", node.position)
        return field_types[node.name]
    if isinstance(node, Compare):
        _check_comparable(
            node.op, _type(node.left, field_types), _type(node.right, field_types), node.position
        )
        return "boolean"
    if isinstance(node, InList):
        needle = _type(node.needle, field_types)
        for item in node.items:
            _check_comparable("=", needle, type_of_value(item.value), item.position)
        return "boolean"
    operands: tuple[Node, ...] = (node.item,) if isinstance(node, Not) else node.items
    for operand in operands:
        found = _type(operand, field_types)
        if found not in ("boolean", "other"):
            word = "not" if isinstance(node, Not) else node.op
            raise ExpressionError(f"'{word}' needs true or false, not a {found}", operand.position)
    return "boolean"


def _check_comparable(op: str, left: Type, right: Type, position: int) -> None:
    if "other" in (left, right):
        return  # known only when the record is there; evaluation checks it
    if op in ("=", "!="):
        if left != right and "null" not in (left, right):
            raise ExpressionError(f"cannot compare a {left} with a {right}", position)
        return
    if "null" in (left, right) or left != right or left == "boolean":
        raise ExpressionError(f"'{op}' cannot order a {left} and a {right}", position)


# --- Evaluation ---------------------------------------------------------------------------


def evaluate(node: Node, values: Mapping[str, Any]) -> bool:
    """Whether the condition holds for a record with these field values."""
    result = _value(node, values)
    if not isinstance(result, bool):
        raise ExpressionError("the condition is not true or false", node.position)
    return result


def _normal(value: Any) -> Any:
    """Numbers compare as decimals, whatever column type they came from."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _value(node: Node, values: Mapping[str, Any]) -> Any:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, FieldRef):
        if node.name not in values:
            raise ExpressionError(f"unknown field {node.name!r}", node.position)
        return _normal(values[node.name])
    if isinstance(node, Compare):
        return _compare(
            node.op, _value(node.left, values), _value(node.right, values), node.position
        )
    if isinstance(node, InList):
        needle = _value(node.needle, values)
        found = any(_compare("=", needle, item.value, item.position) for item in node.items)
        return found != node.negated
    if isinstance(node, Not):
        return not _truth(_value(node.item, values), node.position)
    if node.op == "and":
        return all(_truth(_value(item, values), item.position) for item in node.items)
    return any(_truth(_value(item, values), item.position) for item in node.items)


def _truth(value: Any, position: int) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError(f"expected true or false, got a {type_of_value(value)}", position)
    return value


def _compare(op: str, left: Any, right: Any, position: int) -> bool:
    left_type, right_type = type_of_value(left), type_of_value(right)
    if op in ("=", "!="):
        if left_type != right_type and "null" not in (left_type, right_type):
            raise ExpressionError(f"cannot compare a {left_type} with a {right_type}", position)
        return bool(left == right) == (op == "=")
    if "null" in (left_type, right_type):
        return False  # an empty value is neither above nor below anything
    if left_type != right_type or left_type not in ("number", "string"):
        raise ExpressionError(f"'{op}' cannot order a {left_type} and a {right_type}", position)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)
