variable "region" {
  description = "The AWS region."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of this environment's resources: the EKS cluster, the RDS instance, the roles' prefix."
  type        = string
  default     = "faro-prod"
}

variable "bucket_name" {
  description = "The document bucket's name (globally unique). Empty: <name>-<account id>-<region>."
  type        = string
  default     = ""
}

variable "vpc_cidr" {
  description = "The VPC's IPv4 range."
  type        = string
  default     = "10.50.0.0/16"
}

variable "admin_principal_arns" {
  description = "IAM roles or users given cluster-admin, besides the identity that runs terraform apply."
  type        = list(string)
  default     = []
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "general_instance_types" {
  description = "EC2 instance types of the general node group: FARO's components, Qdrant, monitoring."
  type        = list(string)
  default     = ["m6i.xlarge"]
}

variable "kafka_instance_types" {
  description = "EC2 instance types of the kafka node group (Strimzi brokers and controllers): memory for the page cache."
  type        = list(string)
  default     = ["r6i.large"]
}

variable "rds_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.r6g.large"
}

variable "namespace" {
  description = "The Kubernetes namespace FARO is installed in (helm install --namespace)."
  type        = string
  default     = "faro"
}
