locals {
  zone_count = length(var.azs)
  # Subnets keyed by zone, for for_each.
  public = { for i, cidr in var.public_subnets : var.azs[i % local.zone_count] => cidr if cidr != "" }
  nat_count = var.enable_nat_gateway ? (var.single_nat_gateway ? 1 : local.zone_count) : 0
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  instance_tenancy     = var.instance_tenancy
  enable_dns_hostnames = var.dns_hostnames
  enable_dns_support   = var.dns_support

  tags = merge(var.tags, { Name = "${var.name}-${random_id.suffix.hex}" })
}

resource "aws_subnet" "public" {
  for_each = local.public

  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = each.key

  tags = merge(var.tags, lookup(var.subnet_tags, "public", {}), {
    Name = format("%s-public-%s", var.name, each.key)
  })
}

resource "aws_default_security_group" "this" {
  count  = var.manage_default_sg ? 1 : 0
  vpc_id = aws_vpc.this.id

  dynamic "ingress" {
    for_each = var.default_sg_ingress
    content {
      self      = lookup(ingress.value, "self", null)
      from_port = tonumber(ingress.value.from_port)
      to_port   = tonumber(ingress.value.to_port)
      protocol  = ingress.value.protocol
    }
  }
}

resource "aws_eip" "nat" {
  count  = local.nat_count
  domain = "vpc"
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/aws/vpc/${var.name}/flow-logs"
  retention_in_days = var.flow_log_retention_days
}
