variable "cluster_name" {
  description = "The EKS cluster's name."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the node groups, e.g. 1.33. Upgrade one minor version at a time."
  type        = string
  default     = "1.33"
}

variable "vpc_id" {
  description = "The VPC of the cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, one per availability zone, for the control plane's network interfaces and the nodes."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "subnet_ids must hold the three private subnets, one per availability zone."
  }
}

variable "endpoint_public_access" {
  description = "Whether the Kubernetes API is also reachable from the internet (from public_access_cidrs only). The private endpoint is always on."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "Where the public API endpoint may be reached from, when endpoint_public_access is true. Never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.public_access_cidrs, "0.0.0.0/0")
    error_message = "public_access_cidrs must not contain 0.0.0.0/0: name the addresses of your office, VPN or CI runners."
  }
}

variable "admin_principal_arns" {
  description = "IAM roles or users given cluster-admin through EKS access entries, besides the identity that creates the cluster."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "How long the control plane's logs (api, audit, authenticator, controllerManager, scheduler) are kept in CloudWatch."
  type        = number
  default     = 30
}

variable "node_groups" {
  description = <<-EOT
    Managed node groups, by name. Each spreads over the three private subnets.
    instance_types: EC2 types (the first one that has capacity is used); capacity_type: ON_DEMAND or SPOT;
    min_size/max_size/desired_size: node counts (desired_size is only the starting point: an autoscaler owns it
    after creation); disk_size_gib: encrypted gp3 root volume; labels and taints: Kubernetes node labels/taints.
  EOT
  type = map(object({
    instance_types = list(string)
    capacity_type  = optional(string, "ON_DEMAND")
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = optional(number, 50)
    labels         = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })), [])
  }))

  validation {
    condition = alltrue([for g in values(var.node_groups) :
    g.min_size <= g.desired_size && g.desired_size <= g.max_size && length(g.instance_types) > 0])
    error_message = "Each node group needs at least one instance type and min_size <= desired_size <= max_size."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
