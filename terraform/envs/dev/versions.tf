terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State: keep it in S3, encrypted and versioned, with a lock file (Terraform >= 1.10). Nothing here needs a
  # backend to validate or test; uncomment and fill in before the first `terraform apply` that others share:
  #
  # backend "s3" {
  #   bucket       = "my-org-terraform-state"          # made beforehand, versioned, public access blocked
  #   key          = "faro/dev/terraform.tfstate"
  #   region       = "us-east-1"
  #   encrypt      = true
  #   use_lockfile = true                              # S3 native locking; or dynamodb_table on Terraform < 1.10
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
