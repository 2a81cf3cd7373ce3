variable "name_prefix" {
  description = "Prefix of the roles' names, e.g. faro-prod: the role of component ingest is <prefix>-ingest."
  type        = string
}

variable "cluster_name" {
  description = "The EKS cluster whose pods may take these roles (Pod Identity associations are made there)."
  type        = string
}

variable "namespace" {
  description = "The Kubernetes namespace FARO runs in."
  type        = string
  default     = "faro"
}

variable "bucket_arn" {
  description = "The ARN of FARO's bucket."
  type        = string
}

variable "bucket_kms_key_arn" {
  description = "The KMS key of FARO's bucket: readers need kms:Decrypt, writers kms:GenerateDataKey, through S3 only."
  type        = string
}

variable "region" {
  description = "The bucket's region (for the kms:ViaService condition)."
  type        = string
}

variable "components" {
  description = <<-EOT
    FARO components that touch S3, by name, with the service account their pods run as and the key prefixes
    (ending in /) they may use: get_prefixes -> s3:GetObject and s3:GetObjectVersion, put_prefixes -> s3:PutObject,
    list_prefixes -> s3:ListBucket limited to those prefixes. Nothing else is granted.
  EOT
  type = map(object({
    service_account = string
    get_prefixes    = optional(list(string), [])
    put_prefixes    = optional(list(string), [])
    list_prefixes   = optional(list(string), [])
  }))

  validation {
    condition = alltrue(flatten([for c in values(var.components) : [
      for p in concat(c.get_prefixes, c.put_prefixes, c.list_prefixes) :
      can(regex("^[a-z0-9][a-z0-9._/-]*/$", p))
    ]]))
    error_message = "Every prefix must be a non-empty key prefix ending in / (e.g. documents/): no wildcards, never the whole bucket."
  }

  validation {
    condition = alltrue([for c in values(var.components) :
    length(concat(c.get_prefixes, c.put_prefixes, c.list_prefixes)) > 0])
    error_message = "A component without any prefix needs no S3 role: leave it out."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
