variable "name" {
  description = "Who to greet"
  type        = string
  default     = "world"
}

output "greeting" {
  description = "A greeting, to show that the module was fetched from the registry"
  value       = "hello, ${var.name}"
}
