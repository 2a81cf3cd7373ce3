# Offline checks of the prod environment: `terraform test` plans it against a mock AWS provider (no account,
# no network) and asserts the settings that keep it secure and available.

mock_provider "aws" {
  source          = "../../tests/mocks"
  override_during = plan
}

# The nodes' security group, with an id of its own, so the RDS rule can be seen to name it.
override_resource {
  target          = module.eks.aws_security_group.node
  override_during = plan
  values = {
    id = "sg-0000000000000node"
  }
}

run "prod_network_spans_three_zones_with_a_nat_gateway_in_each" {
  command = plan

  assert {
    condition     = module.network.settings.private_subnet_azs == ["us-east-1a", "us-east-1b", "us-east-1c"]
    error_message = "private subnets must be in three distinct zones, got ${jsonencode(module.network.settings.private_subnet_azs)}"
  }
  assert {
    condition     = length(distinct(module.network.settings.public_subnet_azs)) == 3
    error_message = "public subnets must be in three distinct zones"
  }
  assert {
    condition     = module.network.settings.nat_gateway_count == 3
    error_message = "prod has a NAT gateway per zone, got ${module.network.settings.nat_gateway_count}"
  }
  assert {
    condition     = module.network.settings.s3_endpoint_type == "Gateway" && module.network.settings.s3_endpoint_service == "com.amazonaws.us-east-1.s3"
    error_message = "S3 must be reached through a gateway endpoint (no NAT charge, no internet path)"
  }
  assert {
    condition = alltrue([for t in module.network.settings.private_subnet_tags :
    t["kubernetes.io/role/internal-elb"] == "1" && t["kubernetes.io/cluster/faro-prod"] == "shared"])
    error_message = "private subnets need the EKS discovery tags for internal load balancers"
  }
  assert {
    condition = alltrue([for t in module.network.settings.public_subnet_tags :
    t["kubernetes.io/role/elb"] == "1" && t["kubernetes.io/cluster/faro-prod"] == "shared"])
    error_message = "public subnets need the EKS discovery tags for internet-facing load balancers"
  }
  assert {
    condition     = !anytrue(module.network.settings.public_ip_on_launch)
    error_message = "nothing launched in a public subnet gets a public address by default"
  }
}

run "prod_database_is_private_encrypted_tls_only_multi_az_and_protected" {
  command = plan

  assert {
    condition     = module.rds.settings.engine == "postgres" && startswith(module.rds.settings.engine_version, "16") && module.rds.settings.parameter_group_family == "postgres16"
    error_message = "the database must be PostgreSQL 16 (pgvector is an extension there)"
  }
  assert {
    condition     = module.rds.settings.storage_encrypted && module.rds.settings.storage_kms_key_id != null
    error_message = "RDS storage must be encrypted with the module's KMS key"
  }
  assert {
    condition     = module.rds.settings.publicly_accessible == false
    error_message = "RDS must not be publicly accessible"
  }
  assert {
    condition     = module.rds.settings.parameters["rds.force_ssl"] == "1"
    error_message = "the parameter group must set rds.force_ssl = 1"
  }
  assert {
    condition     = module.rds.settings.multi_az == true
    error_message = "prod runs a Multi-AZ database"
  }
  assert {
    condition     = module.rds.settings.deletion_protection == true && module.rds.settings.skip_final_snapshot == false
    error_message = "prod's database has deletion protection and leaves a final snapshot"
  }
  assert {
    condition     = module.rds.settings.backup_retention_period >= 30
    error_message = "prod keeps at least 30 days of backups"
  }
  assert {
    condition     = module.rds.settings.manage_master_user_password && module.rds.settings.master_user_secret_kms_key != null
    error_message = "the master password must be generated and kept by Secrets Manager, encrypted with the module's key"
  }
  assert {
    condition     = module.rds.settings.subnet_count == 3
    error_message = "the DB subnet group must span the three private subnets"
  }
  assert {
    condition = length(module.rds.settings.ingress) == 1 && alltrue([for r in module.rds.settings.ingress :
      r.from_port == 5432 && r.to_port == 5432 && r.ip_protocol == "tcp" && r.referenced_security_group_id == "sg-0000000000000node"
    && r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.prefix_list_id == null])
    error_message = "PostgreSQL must be reachable on 5432 from the EKS nodes' security group only, got ${jsonencode(module.rds.settings.ingress)}"
  }
}

run "prod_bucket_is_closed_versioned_encrypted_tls_only" {
  command = plan

  assert {
    condition     = module.s3.bucket_name == "faro-prod-123456789012-us-east-1" && module.s3.settings.force_destroy == false
    error_message = "the bucket is named <name>-<account>-<region> and terraform destroy may not empty it, got ${module.s3.bucket_name}"
  }
  assert {
    condition     = alltrue(values(module.s3.settings.public_access_block))
    error_message = "all four public access block settings must be true"
  }
  assert {
    condition     = module.s3.settings.object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)"
  }
  assert {
    condition     = module.s3.settings.versioning_status == "Enabled"
    error_message = "versioning must be enabled"
  }
  assert {
    condition = length(module.s3.settings.encryption) == 1 && alltrue([for e in module.s3.settings.encryption :
    e.sse_algorithm == "aws:kms" && e.kms_master_key_id != null && e.bucket_key_enabled])
    error_message = "default encryption must be SSE-KMS with the bucket's key and an S3 bucket key"
  }
  assert {
    condition = anytrue([for s in module.s3.settings.policy.Statement :
      s.Effect == "Deny" && s.Principal == "*" && s.Condition == { Bool = { "aws:SecureTransport" = "false" } }
      && toset(s.Resource) == toset(["arn:aws:s3:::faro-prod-123456789012-us-east-1", "arn:aws:s3:::faro-prod-123456789012-us-east-1/*"])
    ])
    error_message = "the bucket policy must deny every request that is not over TLS, on the bucket and its objects"
  }
  assert {
    condition     = anytrue(flatten([for r in module.s3.settings.lifecycle_rules : [for e in r.noncurrent_version_expiration : r.status == "Enabled" && e.noncurrent_days > 0]]))
    error_message = "noncurrent object versions must expire"
  }
  assert {
    condition     = anytrue(flatten([for r in module.s3.settings.lifecycle_rules : [for a in r.abort_incomplete_multipart_upload : r.status == "Enabled" && a.days_after_initiation > 0]]))
    error_message = "incomplete multipart uploads must be aborted"
  }
}

run "prod_roles_grant_only_their_prefixes" {
  command = plan

  assert {
    condition = alltrue(flatten([for p in values(module.iam.settings.policies) : [for s in p.Statement : [
      for a in s.Action : a != "*" && a != "s3:*" && !endswith(a, ":*")
    ]]]))
    error_message = "no FARO role may be granted s3:* or any other wildcard action"
  }
  assert {
    condition = alltrue(flatten([for p in values(module.iam.settings.policies) : [for s in p.Statement :
    [for r in s.Resource : r != "*" && r != "arn:aws:s3:::faro-prod-123456789012-us-east-1/*"]]]))
    error_message = "no FARO role may act on resource * or on every object of the bucket"
  }
  assert {
    condition = {
      for name, p in module.iam.settings.policies : name => {
        for s in p.Statement : s.Sid => { actions = s.Action, resources = s.Resource } if startswith(s.Sid, "GetObjects") || startswith(s.Sid, "PutObjects")
      }
      } == {
      ingest = {
        GetObjects = { actions = ["s3:GetObject", "s3:GetObjectVersion"], resources = ["arn:aws:s3:::faro-prod-123456789012-us-east-1/documents/*"] }
      }
      gateway = {
        PutObjects = { actions = ["s3:PutObject", "s3:AbortMultipartUpload"], resources = ["arn:aws:s3:::faro-prod-123456789012-us-east-1/documents/uploads/*"] }
      }
      chunk-archive = {
        PutObjects = { actions = ["s3:PutObject", "s3:AbortMultipartUpload"], resources = ["arn:aws:s3:::faro-prod-123456789012-us-east-1/chunk-archive/*"] }
      }
    }
    error_message = "ingest reads documents/, the gateway writes documents/uploads/, the chunk archive writes chunk-archive/, and nothing more: ${jsonencode(module.iam.settings.policies)}"
  }
  assert {
    condition = alltrue(flatten([for p in values(module.iam.settings.policies) : [for s in p.Statement :
    s.Condition == { StringEquals = { "kms:ViaService" = "s3.us-east-1.amazonaws.com" } } if startswith(s.Action[0], "kms:")]]))
    error_message = "KMS use must be limited to requests S3 makes on the role's behalf"
  }
  assert {
    condition = alltrue([for name, t in module.iam.settings.trust_policies : t.Statement == [{
      Sid       = "EksPodIdentity"
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Condition = { StringEquals = {
        "aws:RequestTag/eks-cluster-name"           = "faro-prod"
        "aws:RequestTag/kubernetes-namespace"       = "faro"
        "aws:RequestTag/kubernetes-service-account" = module.iam.service_accounts[name]
      } }
    }]])
    error_message = "each role must trust only EKS Pod Identity, for its own namespace and service account in this cluster"
  }
  assert {
    condition = module.iam.settings.associations == {
      ingest        = { namespace = "faro", service_account = "faro-ingest" }
      gateway       = { namespace = "faro", service_account = "faro-gateway" }
      chunk-archive = { namespace = "faro", service_account = "faro-chunk-archive" }
    }
    error_message = "each component's service account must be associated with its role"
  }
}

run "prod_cluster_api_is_private_with_logs_and_encrypted_secrets" {
  command = plan

  assert {
    condition     = module.eks.settings.endpoint_private_access && !module.eks.settings.endpoint_public_access
    error_message = "prod's Kubernetes API is reachable from inside the VPC only"
  }
  assert {
    condition     = module.eks.settings.encrypted_resources == ["secrets"] && module.eks.settings.secrets_key_rotation
    error_message = "Kubernetes secrets must be encrypted with a rotating KMS key"
  }
  assert {
    condition     = toset(module.eks.settings.enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])
    error_message = "every control plane log type must go to CloudWatch"
  }
  assert {
    condition     = module.eks.settings.authentication_mode == "API"
    error_message = "cluster access is managed by EKS access entries"
  }
  assert {
    condition     = contains(module.eks.settings.addons, "eks-pod-identity-agent") && contains(module.eks.settings.addons, "aws-ebs-csi-driver")
    error_message = "Pod Identity (FARO's roles) and the EBS CSI driver (Kafka's and Qdrant's volumes) need their add-ons"
  }
  assert {
    condition     = module.eks.settings.network_policy_enforced
    error_message = "the VPC CNI must enforce NetworkPolicies, or the chart's policies are silently ignored"
  }
  assert {
    condition = alltrue([for g in values(module.eks.settings.node_groups) :
    g.imds_tokens == "required" && g.imds_hop_limit == 1 && g.root_encrypted == "true"])
    error_message = "nodes must require IMDSv2 with one hop, encrypt their root volume "
  }
  assert {
    condition     = module.eks.settings.subnet_count == 3
    error_message = "the control plane and the nodes must span the three private subnets"
  }
  assert {
    condition     = module.eks.settings.node_groups.kafka.min_size >= 3 && module.eks.settings.node_groups.general.min_size >= 3
    error_message = "prod keeps Kafka on three nodes of its own (one broker per zone) and at least three general nodes"
  }
}
