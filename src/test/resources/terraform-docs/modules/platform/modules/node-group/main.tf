resource "aws_eks_node_group" "this" {
  cluster_name   = var.cluster_name
  node_group_name = var.name
  instance_types = var.instance_types
  labels         = var.labels

  scaling_config {
    min_size     = var.sizes.min
    max_size     = var.sizes.max
    desired_size = coalesce(var.sizes.desired, var.sizes.min)
  }

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
}

output "arn" {
  value = aws_eks_node_group.this.arn
}
