# Defaults that need evaluating but nothing from outside: operators, conversions between types,
# conditionals whose two results differ in type, and templates of them. terraform-config-inspect
# evaluates each with no variables and no functions; one that cannot be evaluated has no default.

variable "one_hour" {
  default = 60 * 60
}

variable "one_day" {
  default = 24 * 60 * 60
}

variable "precedence" {
  default = [1 + 2 * 3, (1 + 2) * 3, 10 - 4 - 3, 2 * 3 % 4, -2 * -3]
}

variable "division" {
  default = [10 / 4, 1 / 3, 2 / 3, -7 / 2, 0 / 5]
}

variable "modulo" {
  default = [7 % 3, -7 % 3, 7 % -3, 7.5 % 2, 5 % 0]
}

variable "strings_as_numbers" {
  default = ["5" + 1, 2 * "3", -"4", "1.5" * 2, "10" > 9]
}

variable "not_a_number" {
  default = "a" + 1
}

variable "bool_is_not_a_number" {
  default = true + 1
}

variable "null_operand" {
  default = null + 1
}

variable "comparisons" {
  default = {
    less          = 1 < 2
    less_equal    = 2 <= 2
    greater       = 1.5 > 1.25
    greater_equal = -1 >= 0
  }
}

variable "equality" {
  default = [
    1 == 1.0,
    1 == "1",
    "a" == "a",
    "a" != "b",
    [1, 2] == [1, 2],
    [1, 2] == [2, 1],
    { a = 1 } != { a = 2 },
    { a = [1] } == { a = [1.0] },
    null == null,
    null == 1,
    true == "true",
  ]
}

variable "logic" {
  default = [true && false, true || false, !true, !"false", "1" && true, !!false, 1 < 2 && 2 < 3 || false]
}

variable "logic_needs_bools" {
  default = 1 && true
}

variable "no_short_circuit" {
  default = true || var.other
}

variable "strings_do_not_compare" {
  default = "a" < "b"
}

variable "left_associative" {
  default = 1 == 1 == true
}

variable "condition_on_operators" {
  default = 2 > 1 ? "big" : "small"
}

variable "condition_from_string" {
  default = "false" ? "yes" : "no"
}

variable "condition_not_bool" {
  default = 1 ? "yes" : "no"
}

variable "number_or_string" {
  default = true ? 1.5 : "x"
}

variable "string_or_number" {
  default = false ? 1 : "x"
}

variable "bool_or_string" {
  default = true ? false : "x"
}

variable "number_or_bool" {
  default = true ? 1 : false
}

variable "tuples_same_length" {
  default = true ? [1, true] : ["a", "b"]
}

variable "tuples_other_lengths" {
  default = true ? [1, 2] : ["a"]
}

variable "tuples_never_unify" {
  default = true ? [1, 2] : [false]
}

variable "objects_same_keys" {
  default = true ? { a = 1, b = "x" } : { a = "y", b = true }
}

variable "objects_other_keys" {
  default = false ? { a = 1 } : { b = 2, c = "three" }
}

variable "object_or_tuple" {
  default = true ? { a = 1 } : [1]
}

variable "null_result" {
  default = true ? null : 1
}

variable "null_other_result" {
  default = false ? "kept" : null
}

variable "unknown_other_result" {
  default = true ? 1 : var.other
}

variable "unknown_number_other_result" {
  default = true ? "text" : 1 + var.other
}

variable "unknown_bool_other_result" {
  default = true ? 1 : !var.other
}

variable "nested_conditionals" {
  default = true ? (false ? 1 : "two") : 3
}

variable "in_tuple_and_object" {
  default = {
    seconds = [60 * 60, 2 > 1 ? "a" : "b"]
    label   = "${1 + 1}x"
  }
}

variable "templates" {
  default = ["${60 * 60}s", "${1 == 1}", "${true ? "a" : "b"}", "${1 / 4}", "${"5" + 5}"]
}

variable "template_of_unknown" {
  default = "${1 + var.other}"
}

variable "other" {
  type = number
}
