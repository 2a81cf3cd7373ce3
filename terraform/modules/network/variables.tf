variable "name" {
  description = "Prefix of every resource's Name tag, e.g. faro-prod."
  type        = string
}

variable "cluster_name" {
  description = "The EKS cluster that will use these subnets: it goes into the kubernetes.io/cluster/<name> discovery tags."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's IPv4 range. Three private /19s (8190 addresses each, for pods: the VPC CNI gives every pod a VPC address) and three public /22s are carved from a /16."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && tonumber(split("/", var.cidr_block)[1]) <= 16
    error_message = "cidr_block must be an IPv4 CIDR of /16 or larger, e.g. 10.0.0.0/16: the subnets are carved from it as /19s and /22s."
  }
}

variable "availability_zones" {
  description = "Exactly three availability zones, one private and one public subnet in each."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 3 && length(distinct(var.availability_zones)) == 3
    error_message = "availability_zones must name three distinct zones: Kafka's replication factor 3 and rack awareness put one replica in each."
  }
}

variable "nat_gateway_per_az" {
  description = "true: one NAT gateway per availability zone (a zone's outage does not cut the others off). false: one NAT gateway for all three (cheaper; dev)."
  type        = bool
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
