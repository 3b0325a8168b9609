variable "legacy_string" {
  type        = "string"
  description = "Replaced by the override file"
  default     = "overridden"
}

module "first" {
  version = "~> 2.0"
}
