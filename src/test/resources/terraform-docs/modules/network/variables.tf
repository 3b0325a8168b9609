variable "name" {
  description = "Name prefix for every network object"
  type        = string
}

variable "cidr" {
  description = "The IPv4 CIDR block of the network"
  type        = string
  default     = "10.20.0.0/16"
}

variable "azs" {
  description = "Availability zones to spread subnets over"
  type        = list(string)
  default     = []
}

variable "public_subnets" {
  description = "Public subnet CIDRs, one per zone"
  type        = list(string)
  default     = ["10.20.0.0/24", "10.20.1.0/24"]
}

variable "private_subnets" {
  type    = list(string)
  default = []
}

variable "enable_nat_gateway" {
  description = "Whether private subnets reach the internet through NAT"
  type        = bool
  default     = false
}

variable "single_nat_gateway" {
  type    = bool
  default = true
}

variable "nat_eip_count" {
  type    = number
  default = 1
}

variable "flow_log_retention_days" {
  description = "Days to keep flow logs; 0 keeps them forever"
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags for every object"
  type        = map(string)
  default = {
    managed-by = "wharf"
    "cost:centre" = "platform"
  }
}

variable "subnet_tags" {
  type    = map(map(string))
  default = {}
}

variable "dns_hostnames" {
  type    = bool
  default = true
}

variable "dns_support" {
  type    = bool
  default = true
}

variable "instance_tenancy" {
  description = "default or dedicated"
  type        = string
  default     = "default"
}

variable "ipv6" {
  type    = bool
  default = false
}

variable "secondary_cidrs" {
  type    = set(string)
  default = null
}

variable "manage_default_sg" {
  type = bool
  default = true
}

variable "default_sg_ingress" {
  type = list(map(string))
  default = [
    {
      self      = "true"
      from_port = "0"
      to_port   = "0"
      protocol  = "-1"
    },
  ]
}

variable "vpn_gateway_asn" {
  type    = number
  default = 64512
}

variable "ratio" {
  type    = number
  default = 0.75
}
