# What the Helm chart and kubectl need; see terraform/README.md, "Outputs and the chart's values".

output "region" {
  description = "The AWS region."
  value       = var.region
}

output "cluster_name" {
  description = "The EKS cluster: aws eks update-kubeconfig --region <region> --name <cluster_name>."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "The Kubernetes API's URL."
  value       = module.eks.cluster_endpoint
}

output "rds_endpoint" {
  description = "The database's host name: FARO_PG_URL's host."
  value       = module.rds.address
}

output "rds_port" {
  description = "The database's port: FARO_PG_URL's port."
  value       = module.rds.port
}

output "rds_db_name" {
  description = "The database: FARO_PG_URL's path."
  value       = module.rds.db_name
}

output "rds_master_username" {
  description = "The master user, for the one-time set-up (CREATE EXTENSION vector, FARO's own role)."
  value       = module.rds.master_username
}

output "rds_master_user_secret_arn" {
  description = "Secrets Manager secret with the master user's password (JSON keys username and password); rotated by RDS."
  value       = module.rds.master_user_secret_arn
}

output "faro_pg_url" {
  description = "FARO_PG_URL for a role named faro (see README.md); pair with FARO_PG_SSLMODE=verify-full and FARO_PG_SSLROOTCERT."
  value       = "postgresql://faro@${module.rds.address}:${module.rds.port}/${module.rds.db_name}"
}

output "rds_subnet_cidrs" {
  description = "The private subnets' ranges, where the database's addresses are: the chart's networkPolicy.postgres.cidrs."
  value       = module.network.private_subnet_cidrs
}

output "bucket_name" {
  description = "The bucket of documents (documents/) and of the chunk archive (chunk-archive/)."
  value       = module.s3.bucket_name
}

output "namespace" {
  description = "The namespace FARO's service accounts are bound in."
  value       = module.iam.namespace
}

output "iam_role_arns" {
  description = "IAM role ARN per FARO component, taken through EKS Pod Identity (no service-account annotation needed)."
  value       = module.iam.role_arns
}

output "service_accounts" {
  description = "Service account per component that has an S3 role: the chart must use these names."
  value       = module.iam.service_accounts
}
