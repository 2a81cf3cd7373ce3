output "address" {
  description = "The DB instance's host name (FARO_PG_URL's host; the name its TLS certificate carries)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL's port."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "The database FARO uses."
  value       = aws_db_instance.this.db_name
}

output "master_username" {
  description = "The master user (rds_superuser): runs CREATE EXTENSION vector and creates FARO's own role."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "The Secrets Manager secret holding the master user's password (JSON: username, password), rotated by RDS."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "The database's security group."
  value       = aws_security_group.this.id
}

output "kms_key_arn" {
  description = "The KMS key of the database's storage and its master password secret."
  value       = aws_kms_key.this.arn
}

output "ca_cert_identifier" {
  description = "The CA that signs the server certificate (in Amazon RDS's global-bundle.pem)."
  value       = aws_db_instance.this.ca_cert_identifier
}

output "settings" {
  description = "What this module planned that matters for availability and security, read by the terraform tests (terraform/envs/*/tests) and worth a look before apply."
  value = {
    engine                      = aws_db_instance.this.engine
    engine_version              = aws_db_instance.this.engine_version
    parameter_group_family      = aws_db_parameter_group.this.family
    parameters                  = { for p in aws_db_parameter_group.this.parameter : p.name => p.value }
    storage_encrypted           = aws_db_instance.this.storage_encrypted
    storage_kms_key_id          = aws_db_instance.this.kms_key_id
    publicly_accessible         = aws_db_instance.this.publicly_accessible
    multi_az                    = aws_db_instance.this.multi_az
    deletion_protection         = aws_db_instance.this.deletion_protection
    skip_final_snapshot         = aws_db_instance.this.skip_final_snapshot
    backup_retention_period     = aws_db_instance.this.backup_retention_period
    manage_master_user_password = aws_db_instance.this.manage_master_user_password
    master_user_secret_kms_key  = aws_db_instance.this.master_user_secret_kms_key_id
    subnet_count                = length(var.subnet_ids)
    ingress = [for r in aws_vpc_security_group_ingress_rule.postgres : {
      from_port                    = r.from_port
      to_port                      = r.to_port
      ip_protocol                  = r.ip_protocol
      cidr_ipv4                    = r.cidr_ipv4
      cidr_ipv6                    = r.cidr_ipv6
      prefix_list_id               = r.prefix_list_id
      referenced_security_group_id = r.referenced_security_group_id
    }]
  }
}
