# Defaults that are heredocs with interpolations and directives, plain and indented. None fails to
# evaluate: an error anywhere makes terraform-config-inspect try the legacy HCL 1 reader, which
# reads this file without error and keeps heredocs as written.

variable "interpolation" {
  default = <<EOT
one ${1 + 1} three
EOT
}

variable "directives" {
  default = <<EOT
%{ for x in ["a", "b"] }
- ${x}
%{ endfor }
EOT
}

variable "stripped" {
  default = <<EOT
%{ for x in ["a", "b"] ~}
- ${x}
%{ endfor ~}
done
EOT
}

variable "indented" {
  default = <<-EOT
    first ${"x"}
      second
    %{ if true }third%{ endif }
  EOT
}

variable "indented_blank_line" {
  default = <<-EOT
      a ${1}

      b
  EOT
}

variable "indented_interpolation_first" {
  default = <<-EOT
    a
  ${"b"}
    c
  EOT
}

variable "indented_spaces_then_interpolation" {
  default = <<-EOT
      ${"a"}
    b
  EOT
}

variable "escapes_kept" {
  default = <<EOT
a\n $${literal} ${"b"}
EOT
}

variable "multiline_interpolation" {
  default = <<EOT
${
  1 + 2
}!
EOT
}
