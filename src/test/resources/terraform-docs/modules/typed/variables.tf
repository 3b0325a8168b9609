/*
 * Inputs with complex types, validation and every way of writing text.
 */

variable "settings" {
  type = object({
    name     = string
    tier     = optional(string, "standard")
    replicas = optional(number, 2)
    ports    = optional(list(object({
      port     = number
      protocol = optional(string, "tcp")
    })), [])
    labels = optional(map(string), {})
  })
  description = <<-EOT
    Service settings.

      tier: standard or premium
      replicas: how many copies run
  EOT

  validation {
    condition     = contains(["standard", "premium"], var.settings.tier)
    error_message = "The tier must be \"standard\" or \"premium\"."
  }

  validation {
    condition     = alltrue([for p in var.settings.ports : p.port > 0 && p.port < 65536])
    error_message = "Every port must be between 1 and 65535, got ${join(", ", [for p in var.settings.ports : p.port])}."
  }
}

variable "plain_heredoc" {
  description = <<EOT
Kept exactly:
    indented line
EOT
  type    = string
  default = <<-EOT
	tab-indented
	  deeper
	EOT
}

variable "matrix" {
  type    = list(tuple([string, number, bool]))
  default = [["a", 1, true], ["b", -2.5, false]]
}

variable "nested" {
  description = "Objects in maps in lists"
  type        = any
  default = {
    list = [1, 2.0, 3e2, -4]
    map  = { "quoted key" = "v", bare = null, nested = { deeper = [{}] } }
    text = "tab\tquote\"backslash\\ dollar $${literal} percent %%{literal} unicode \u00e9"
  }
}

variable "computed_default" {
  description = "A default that needs a function has no static value"
  type        = string
  default     = upper("x")
}

variable "interpolated_default" {
  type    = string
  default = "prefix-${"literal"}"
}

variable "password" {
  description = "Secret, never shown in plans"
  type        = string
  sensitive   = true
}

variable "nullable_default" {
  type    = string
  default = null
}

variable "untyped" {
}

variable "one_line" { type = number }

variable "conditional" {
  type    = number
  default = true ? 1 : 2
}

variable "ports" {
  type = map(number)
  default = {
    http  = 80
    https = 443,
  }
  validation {
    condition     = length([for k, v in var.ports : k if v < 1]) == 0
    error_message = <<-EOT
      Every port must be positive.
    EOT
  }
}
