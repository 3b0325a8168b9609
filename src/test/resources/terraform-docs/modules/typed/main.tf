resource "null_resource" "service" {
  triggers = {
    settings = jsonencode(var.settings)
    ports    = join(",", [for name, port in var.ports : "${name}=${port}"])
  }
}

resource "null_resource" "template" {
  triggers = {
    text = <<-EOT
      %{for name, port in var.ports~}
      ${name}: ${port}
      %{endfor~}
    EOT
  }
}

output "settings" {
  description = <<-EOT
    The settings as given,
    with defaults filled in.
  EOT
  value = var.settings
}

output "password" {
  value     = var.password
  sensitive = true
}

output "summary" {
  description = "Replicas \u00d7 ports"
  value       = var.settings.replicas * length(var.settings.ports)
}
