output "bucket_name" {
  description = "The bucket's name."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "The bucket's ARN."
  value       = local.bucket_arn
}

output "kms_key_arn" {
  description = "The KMS key that encrypts the bucket's objects; readers need kms:Decrypt, writers kms:GenerateDataKey."
  value       = aws_kms_key.this.arn
}

output "settings" {
  description = "What this module planned that matters for security and cost, read by the terraform tests (terraform/envs/*/tests) and worth a look before apply."
  value = {
    public_access_block = {
      block_public_acls       = aws_s3_bucket_public_access_block.this.block_public_acls
      block_public_policy     = aws_s3_bucket_public_access_block.this.block_public_policy
      ignore_public_acls      = aws_s3_bucket_public_access_block.this.ignore_public_acls
      restrict_public_buckets = aws_s3_bucket_public_access_block.this.restrict_public_buckets
    }
    object_ownership  = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership
    versioning_status = aws_s3_bucket_versioning.this.versioning_configuration[0].status
    encryption        = [for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : merge(r.apply_server_side_encryption_by_default[0], { bucket_key_enabled = r.bucket_key_enabled })]
    kms_key_rotation  = aws_kms_key.this.enable_key_rotation
    policy            = jsondecode(aws_s3_bucket_policy.this.policy)
    lifecycle_rules   = aws_s3_bucket_lifecycle_configuration.this.rule
    force_destroy     = aws_s3_bucket.this.force_destroy
  }
}
