# FARO dev: the whole platform at the smallest size that still has its shape (three zones, so that Kafka's
# three replicas and rack awareness behave as in prod), with the cost cut where a zone outage is acceptable:
# one NAT gateway, a single-AZ database, no deletion protection.

data "aws_availability_zones" "available" {
  state = "available"
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"] # no Local Zones
  }
}

data "aws_caller_identity" "current" {}

locals {
  tags = {
    Project     = "faro"
    Environment = "dev"
    ManagedBy   = "terraform"
  }
  azs         = slice(sort(data.aws_availability_zones.available.names), 0, 3)
  bucket_name = var.bucket_name != "" ? var.bucket_name : "${var.name}-${data.aws_caller_identity.current.account_id}-${var.region}"
}

module "network" {
  source = "../../modules/network"

  name               = var.name
  cluster_name       = var.name
  cidr_block         = var.vpc_cidr
  availability_zones = local.azs
  nat_gateway_per_az = false # one NAT gateway: ~$33/month instead of ~$99; a zone outage may cut egress
}

module "eks" {
  source = "../../modules/eks"

  cluster_name           = var.name
  kubernetes_version     = var.kubernetes_version
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  endpoint_public_access = length(var.public_access_cidrs) > 0
  public_access_cidrs    = var.public_access_cidrs
  admin_principal_arns   = var.admin_principal_arns
  log_retention_days     = 7
  tags                   = local.tags # also on the nodes' EC2 instances (launch template tag specifications)

  node_groups = {
    # One group for everything: Kafka (3 brokers, 3 controllers), Qdrant, FARO's components, monitoring.
    general = {
      instance_types = var.node_instance_types
      min_size       = 3
      max_size       = 6
      desired_size   = 3
      disk_size_gib  = 50
    }
  }
}

module "rds" {
  source = "../../modules/rds"

  identifier                 = var.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  allowed_security_group_ids = { eks_nodes = module.eks.node_security_group_id }
  instance_class             = var.rds_instance_class
  allocated_storage_gib      = 20
  max_allocated_storage_gib  = 100
  multi_az                   = false
  deletion_protection        = false
  backup_retention_days      = 7
}

module "s3" {
  source = "../../modules/s3"

  bucket_name                        = local.bucket_name
  noncurrent_version_expiration_days = 7
  force_destroy                      = true # dev: terraform destroy may empty the bucket
}

module "iam" {
  source = "../../modules/iam"

  name_prefix        = var.name
  cluster_name       = module.eks.cluster_name
  namespace          = var.namespace
  bucket_arn         = module.s3.bucket_arn
  bucket_kms_key_arn = module.s3.kms_key_arn
  region             = var.region
  components         = local.s3_components
}
