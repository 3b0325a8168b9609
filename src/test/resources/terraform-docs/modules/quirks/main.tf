# Older and unusual forms that Terraform still accepts.
terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = ">= 4.0"
      configuration_aliases = [aws.west, aws.east]
    }
    google = "~> 5.0"
  }
}

provider "azurerm" {
  version = "~> 3.0"
  features {}
}

provider "aws" {
  alias  = "backup"
  region = "eu-west-1"
}

variable "legacy_map" {
  type    = "map"
  default = {}
}

variable "legacy_string" {
  type = "string"
}

variable "description_number" {
  description = 42
  type        = number
  sensitive   = "true"
  default     = 0
}

resource "aws_s3_bucket" "west" {
  provider = aws.west
  bucket   = "west"
}

resource "aws_s3_bucket" "legacy" {
  provider = "aws.east"
  bucket   = "legacy"
}

resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}

resource "kubernetes_namespace_v1" "ns" {
  metadata {
    name = "quirks"
  }
}

data "external" "probe" {
  program = ["true"]
}

module "first" {
  source  = "app.terraform.io/example/first/aws"
  version = ">= 1.0"
}

module "second" {
  source = "git::https://example.com/second.git?ref=v1.2.0"
}

moved {
  from = aws_s3_bucket.old
  to   = aws_s3_bucket.west
}
