# FARO prod: every zone stands alone (a NAT gateway per zone, a Multi-AZ database), the Kubernetes API is
# private, the database cannot be deleted by accident, and Kafka has nodes of its own.

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
    Environment = "prod"
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
  nat_gateway_per_az = true
}

module "eks" {
  source = "../../modules/eks"

  cluster_name       = var.name
  kubernetes_version = var.kubernetes_version
  vpc_id             = module.network.vpc_id
  subnet_ids         = module.network.private_subnet_ids
  # Private API only: run kubectl and helm from inside the VPC (a CI runner, a VPN, an SSM-managed instance).
  # terraform itself only calls AWS APIs and works from anywhere.
  endpoint_public_access = false
  admin_principal_arns   = var.admin_principal_arns
  log_retention_days     = 90
  tags                   = local.tags # also on the nodes' EC2 instances (launch template tag specifications)

  node_groups = {
    # FARO's components, Qdrant, the Strimzi and KEDA operators, monitoring.
    general = {
      instance_types = var.general_instance_types
      min_size       = 3
      max_size       = 9
      desired_size   = 3
      disk_size_gib  = 80
    }
    # Strimzi's broker and controller node pools: give them nodeAffinity (or a toleration, if you add a taint
    # here) on the label faro.io/node-group=kafka, one broker per zone (rack awareness: topology.kubernetes.io/zone).
    kafka = {
      instance_types = var.kafka_instance_types
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
  allocated_storage_gib      = 100
  max_allocated_storage_gib  = 1000
  multi_az                   = true
  deletion_protection        = true
  backup_retention_days      = 30
}

module "s3" {
  source = "../../modules/s3"

  bucket_name                        = local.bucket_name
  noncurrent_version_expiration_days = 30
  force_destroy                      = false
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
