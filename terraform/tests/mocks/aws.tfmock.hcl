# What the mock AWS provider returns where the real one would ask AWS, for `terraform test` in envs/*.
# Values are fixed (not random) so that assertions can compare names and ARNs built from them.

mock_data "aws_availability_zones" {
  defaults = {
    # unsorted and four of them: the envs must sort and take three
    names = ["us-east-1d", "us-east-1a", "us-east-1c", "us-east-1b"]
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
    arn        = "arn:aws:iam::123456789012:user/terraform"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_region" {
  defaults = {
    name = "us-east-1"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    key_id = "11111111-2222-3333-4444-555555555555"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::123456789012:role/mock"
  }
}
