variable "region" {
  description = "The AWS region."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of this environment's resources: the EKS cluster, the RDS instance, the roles' prefix."
  type        = string
  default     = "faro-dev"
}

variable "bucket_name" {
  description = "The document bucket's name (globally unique). Empty: <name>-<account id>-<region>."
  type        = string
  default     = ""
}

variable "vpc_cidr" {
  description = "The VPC's IPv4 range."
  type        = string
  default     = "10.40.0.0/16"
}

variable "public_access_cidrs" {
  description = "Addresses (CIDRs) allowed to reach the Kubernetes API from the internet, e.g. your office or VPN egress as a /32. Empty: the API stays private (reach it from inside the VPC)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrnetmask(c)) && !endswith(c, "/0")])
    error_message = "public_access_cidrs must be IPv4 CIDRs of your office, VPN or CI runners, never the whole internet (/0)."
  }
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

variable "node_instance_types" {
  description = "EC2 instance types of the node group (the first with capacity is used)."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "rds_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "namespace" {
  description = "The Kubernetes namespace FARO is installed in (helm install --namespace)."
  type        = string
  default     = "faro"
}
