# Defaults built by for expressions and splats over literal collections. terraform-config-inspect
# evaluates them with no variables and no functions: the names a for expression binds are known
# inside it, a function call or an outside reference is not, and a default needing one has none.

variable "for_tuple" {
  default = [for s in ["a", "b"] : s]
}

variable "for_function" {
  default = [for s in ["a", "b"] : upper(s)]
}

variable "for_index_and_value" {
  default = [for i, s in ["a", "b"] : "${i}=${s}"]
}

variable "for_object" {
  default = { for k, v in { a = 1, b = 2 } : k => v * 10 }
}

variable "for_object_over_tuple" {
  default = { for i, s in ["x", "y"] : s => i }
}

variable "for_if" {
  default = [for n in [1, 2, 3, 4] : n if n % 2 == 0]
}

variable "for_if_string_bool" {
  default = [for n in [1, 2] : n if "true"]
}

variable "for_if_not_bool" {
  default = [for n in [1, 2] : n if n]
}

variable "for_if_null" {
  default = [for n in [1, 2] : n if null]
}

variable "for_grouping" {
  default = { for s in ["apple", "avocado", "banana"] : substr(s, 0, 1) => s... }
}

variable "for_grouping_static" {
  default = { for i, s in ["apple", "avocado", "banana"] : (i < 2 ? "a" : "b") => s... }
}

variable "for_duplicate_key" {
  default = { for s in ["a", "a", "b"] : s => s }
}

variable "for_key_not_string" {
  default = { for s in ["a"] : [s] => s }
}

variable "for_key_null" {
  default = { for s in ["a"] : null => s }
}

variable "for_over_object" {
  default = [for k, v in { b = 2, a = 1 } : [k, v]]
}

variable "for_over_string" {
  default = [for c in "abc" : c]
}

variable "for_over_null" {
  default = [for c in null : c]
}

variable "for_over_empty" {
  default = [for c in [] : c]
}

variable "for_empty_function_condition" {
  default = [for c in [] : c if upper(c) == "A"]
}

variable "for_nested" {
  default = [for a in [1, 2] : [for b in ["x", "y"] : "${a}${b}"]]
}

variable "for_shadowing" {
  default = [for a in [1, 2] : [for a in ["x"] : a]]
}

variable "for_outer_reference" {
  default = [for a in [1, 2] : var.other]
}

variable "for_in_conditional" {
  default = true ? [for s in ["a"] : s] : []
}

variable "for_multiline" {
  default = {
    for k, v in {
      a = [1, 2]
      b = [3]
    } :
    k => [
      for n in v : n * 2
    ]
  }
}

variable "for_attribute" {
  default = [for o in [{ name = "a" }, { name = "b" }] : o.name]
}

variable "for_then_index" {
  default = [for s in ["a", "b"] : s][1]
}

variable "splat_full" {
  default = [{ a = 1 }, { a = 2 }][*].a
}

variable "splat_legacy" {
  default = [{ a = { b = 1 } }, { a = { b = 2 } }].*.a.b
}

variable "splat_legacy_then_index" {
  default = [{ a = 1 }, { a = 2 }].*.a[1]
}

variable "splat_full_index_inside" {
  default = [{ a = [1, 2] }, { a = [3, 4] }][*].a[0]
}

variable "splat_nested" {
  default = [{ a = [{ b = 1 }, { b = 2 }] }][*].a[*].b
}

variable "splat_single_value" {
  default = { a = 1 }[*].a
}

variable "splat_legacy_object" {
  default = { a = 1 }.*
}

variable "splat_null" {
  default = null[*]
}

variable "splat_string" {
  default = "x"[*]
}

variable "splat_missing_attribute" {
  default = [{ a = 1 }, { b = 2 }][*].a
}

variable "splat_empty" {
  default = [][*].a
}

variable "splat_of_for" {
  default = [for s in ["a", "b"] : { name = s }][*].name
}

variable "splat_plain" {
  default = [1, 2][*]
}
