# Defaults that are quoted templates with directives and strip markers. terraform-config-inspect
# evaluates them with no variables and no functions; one that needs either has no default.

variable "if_true" {
  default = "%{ if true }yes%{ else }no%{ endif }"
}

variable "if_false" {
  default = "%{ if 1 > 2 }yes%{ else }no%{ endif }"
}

variable "if_without_else" {
  default = "[%{ if false }never%{ endif }]"
}

variable "if_string_condition" {
  default = "%{ if "true" }yes%{ endif }"
}

variable "if_null_condition" {
  default = "%{ if null }yes%{ endif }"
}

variable "if_not_bool" {
  default = "%{ if [] }yes%{ endif }"
}

variable "if_reference" {
  default = "%{ if var.on }yes%{ endif }"
}

variable "if_untaken_function" {
  default = "%{ if true }yes%{ else }${upper("no")}%{ endif }"
}

variable "for_values" {
  default = "%{ for x in [1, 2] }${x},%{ endfor }"
}

variable "for_keys" {
  default = "%{ for k, v in { b = 2, a = 1 } }${k}=${v};%{ endfor }"
}

variable "for_index" {
  default = "%{ for i, s in ["x", "y"] }${i}${s}%{ endfor }"
}

variable "for_over_null" {
  default = "%{ for x in null }${x}%{ endfor }"
}

variable "for_over_string" {
  default = "%{ for x in "ab" }${x}%{ endfor }"
}

variable "for_function" {
  default = "%{ for x in ["a"] }${upper(x)}%{ endfor }"
}

variable "for_empty" {
  default = "<%{ for x in [] }${x}%{ endfor }>"
}

variable "nested" {
  default = "%{ for x in [1, 2, 3] }%{ if x != 2 }${x}%{ else }-%{ endif }%{ endfor }"
}

variable "strip_around_directives" {
  default = "a   %{~ if true ~}   b   %{~ endif ~}   c"
}

variable "strip_interpolation" {
  default = "a   ${~ "b" ~}   c"
}

variable "strip_one_side" {
  default = "a   ${~ "b" }   c   ${ "d" ~}   e"
}

variable "strip_escaped_newlines" {
  default = "a\n\t %{~ for x in [1, 2] ~}\n ${x} \n%{~ endfor ~} \n"
}

variable "directive_in_for_expression" {
  default = [for s in ["a", "b"] : "%{ if s == "a" }A%{ else }${s}%{ endif }"]
}

variable "for_expression_in_directive" {
  default = "%{ for x in [for n in [1, 2] : n * 10] }${x} %{ endfor }"
}

variable "conditional_types" {
  default = "%{ if true }${1}%{ else }${true}%{ endif }"
}
