terraform {
  required_version = "~> 1.6"
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = ">= 5.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

module "cluster" {
  source = "./modules/cluster"

  name       = var.name
  subnet_ids = var.subnet_ids
}

module "workers" {
  source   = "./modules/node-group"
  for_each = var.node_groups

  cluster_name = module.cluster.name
  name         = each.key
  sizes        = each.value
}

module "labels" {
  source  = "registry.example.com/platform/labels/null"
  version = "2.1.0"

  namespace = var.name
}

data "tls_certificate" "oidc" {
  url = module.cluster.oidc_issuer_url
}
