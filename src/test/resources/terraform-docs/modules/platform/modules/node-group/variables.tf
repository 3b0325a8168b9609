variable "cluster_name" {
  type = string
}

variable "name" {
  type = string
}

variable "sizes" {
  type = object({
    min     = number
    max     = number
    desired = optional(number)
  })
}

variable "instance_types" {
  type    = list(string)
  default = ["m6i.large"]
}

variable "labels" {
  type     = map(string)
  default  = {}
  nullable = false
}
