variable "identifier" {
  description = "The DB instance's identifier, e.g. faro-prod."
  type        = string
}

variable "vpc_id" {
  description = "The VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "The private subnets of the DB subnet group (one per availability zone)."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups admitted on the PostgreSQL port, by a name known at plan time, e.g. { eks_nodes = <node security group id> }. Nothing else reaches the database: no CIDR is ever admitted."
  type        = map(string)
}

variable "engine_version" {
  description = "PostgreSQL version. 16 (the major version) lets RDS pick its default 16.x minor and apply minor upgrades; pgvector ships with every RDS PostgreSQL 16 minor."
  type        = string
  default     = "16"

  validation {
    condition     = startswith(var.engine_version, "16")
    error_message = "engine_version must be PostgreSQL 16.x: the parameter group family is postgres16."
  }
}

variable "instance_class" {
  description = "The DB instance class, e.g. db.t4g.medium (dev) or db.r6g.large (prod: HNSW indexes want their working set in memory)."
  type        = string
}

variable "allocated_storage_gib" {
  description = "Initial gp3 storage in GiB."
  type        = number
}

variable "max_allocated_storage_gib" {
  description = "Upper bound of storage autoscaling in GiB (must be above allocated_storage_gib)."
  type        = number
}

variable "multi_az" {
  description = "A synchronous standby in another availability zone with automatic failover (prod)."
  type        = bool
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (prod). Also takes a final snapshot when it is deleted."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window), 1 to 35."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be from 1 to 35: 0 would turn automated backups off."
  }
}

variable "db_name" {
  description = "The database created with the instance, where FARO's table lives (FARO_PG_URL's path)."
  type        = string
  default     = "faro"
}

variable "master_username" {
  description = "The master user (rds_superuser). Its password is generated, kept and rotated by AWS Secrets Manager; nobody types it."
  type        = string
  default     = "faro_admin"
}

variable "port" {
  description = "PostgreSQL's port."
  type        = number
  default     = 5432
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
