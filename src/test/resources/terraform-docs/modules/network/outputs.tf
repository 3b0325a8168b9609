output "vpc_id" {
  description = "The ID of the network"
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, by zone"
  value       = { for zone, subnet in aws_subnet.public : zone => subnet.id }
}

output "nat_public_ips" {
  value = aws_eip.nat[*].public_ip
}

output "account_id" {
  description = "The account the network lives in"
  value       = data.aws_caller_identity.current.account_id
  sensitive   = true
}

output "region" {
  value = data.aws_region.current.name
}
