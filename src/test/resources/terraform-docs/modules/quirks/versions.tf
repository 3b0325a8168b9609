terraform {
  required_version = ">= 1.0"
}

terraform {
  required_version = "< 2.0"
  required_providers {
    aws = {
      version = "< 6.0"
    }
    kubernetes = {
      source = "hashicorp/kubernetes"
    }
  }
}
