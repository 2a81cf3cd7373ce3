# The modules refuse inputs that would open them up, whichever environment passes them. Each run plans one
# module alone (module { source = ... }) against the mock AWS provider and expects its variable's validation
# to fail.

mock_provider "aws" {
  source          = "../../tests/mocks"
  override_during = plan
}

variables {
  bucket_arn         = "arn:aws:s3:::faro-test"
  bucket_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "iam_refuses_a_wildcard_prefix" {
  command = plan
  module {
    source = "../../modules/iam"
  }
  variables {
    name_prefix  = "faro-test"
    cluster_name = "faro-test"
    region       = "us-east-1"
    components   = { ingest = { service_account = "faro-ingest", get_prefixes = ["*"] } }
  }
  expect_failures = [var.components]
}

run "iam_refuses_the_whole_bucket" {
  command = plan
  module {
    source = "../../modules/iam"
  }
  variables {
    name_prefix  = "faro-test"
    cluster_name = "faro-test"
    region       = "us-east-1"
    components   = { gateway = { service_account = "faro-gateway", put_prefixes = ["/"] } }
  }
  expect_failures = [var.components]
}

run "iam_refuses_a_component_without_prefixes" {
  command = plan
  module {
    source = "../../modules/iam"
  }
  variables {
    name_prefix  = "faro-test"
    cluster_name = "faro-test"
    region       = "us-east-1"
    components   = { sink-pgvector = { service_account = "faro-sink-pgvector" } }
  }
  expect_failures = [var.components]
}

run "iam_grants_list_only_under_its_prefix" {
  command = plan
  module {
    source = "../../modules/iam"
  }
  variables {
    name_prefix  = "faro-test"
    cluster_name = "faro-test"
    region       = "us-east-1"
    components   = { restore = { service_account = "faro-restore", get_prefixes = ["chunk-archive/"], list_prefixes = ["chunk-archive/"] } }
  }
  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.component["restore"].policy).Statement : s if s.Sid == "ListPrefixes"] == [{
      Sid       = "ListPrefixes"
      Effect    = "Allow"
      Action    = ["s3:ListBucket"]
      Resource  = ["arn:aws:s3:::faro-test"]
      Condition = { StringLike = { "s3:prefix" = ["chunk-archive/*"] } }
    }]
    error_message = "s3:ListBucket must be limited to the component's prefixes by an s3:prefix condition"
  }
}

run "eks_refuses_an_api_open_to_the_internet" {
  command = plan
  module {
    source = "../../modules/eks"
  }
  variables {
    cluster_name           = "faro-test"
    vpc_id                 = "vpc-0123"
    subnet_ids             = ["subnet-a", "subnet-b", "subnet-c"]
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0"]
    node_groups            = { general = { instance_types = ["m6i.large"], min_size = 3, max_size = 3, desired_size = 3 } }
  }
  expect_failures = [var.public_access_cidrs]
}

run "network_refuses_fewer_than_three_zones" {
  command = plan
  module {
    source = "../../modules/network"
  }
  variables {
    name               = "faro-test"
    cluster_name       = "faro-test"
    availability_zones = ["us-east-1a", "us-east-1a", "us-east-1b"]
    nat_gateway_per_az = false
  }
  expect_failures = [var.availability_zones]
}

run "rds_refuses_backups_off" {
  command = plan
  module {
    source = "../../modules/rds"
  }
  variables {
    identifier                 = "faro-test"
    vpc_id                     = "vpc-0123"
    subnet_ids                 = ["subnet-a", "subnet-b", "subnet-c"]
    allowed_security_group_ids = { eks_nodes = "sg-0123" }
    instance_class             = "db.t4g.medium"
    allocated_storage_gib      = 20
    max_allocated_storage_gib  = 100
    multi_az                   = false
    deletion_protection        = false
    backup_retention_days      = 0
  }
  expect_failures = [var.backup_retention_days]
}
