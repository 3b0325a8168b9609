variable "name" {
  description = "Cluster name"
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the cluster and its nodes use"
  type        = list(string)
}

variable "node_groups" {
  description = <<-EOT
    Node groups by name. Each gives:
      min, max - how far the group scales
      desired  - where it starts
  EOT
  type = map(object({
    min     = number
    max     = number
    desired = optional(number)
  }))
  default = {
    default = { min = 1, max = 3, desired = 2 }
  }
}
