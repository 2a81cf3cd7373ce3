# One IAM role per FARO component that touches S3, allowed exactly the object operations on exactly the key
# prefixes that component uses, and taken by its pods through EKS Pod Identity: the association binds the role
# to <namespace>/<service account> in the cluster, and the role's trust policy checks the same three names in
# the session tags EKS sets (eks-cluster-name, kubernetes-namespace, kubernetes-service-account), so a second
# association made by mistake elsewhere cannot hand the role to another workload.

locals {
  kms_via_s3 = { StringEquals = { "kms:ViaService" = "s3.${var.region}.amazonaws.com" } }

  # Each statement is present when its component has prefixes of that kind: [for _ in (cond ? [1] : []) : {...}]
  # (a conditional cannot choose between an empty tuple and a tuple of objects).
  policies = {
    for name, c in var.components : name => {
      Version = "2012-10-17"
      Statement = concat(
        [for _ in(length(c.get_prefixes) > 0 ? [1] : []) : {
          Sid    = "GetObjects"
          Effect = "Allow"
          # a claim check may name the object's version (the bucket keeps versions): reading one takes its own grant
          Action   = ["s3:GetObject", "s3:GetObjectVersion"]
          Resource = [for p in c.get_prefixes : "${var.bucket_arn}/${p}*"]
        }],
        [for _ in(length(c.get_prefixes) > 0 ? [1] : []) : {
          Sid       = "DecryptObjectsReadThroughS3"
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [var.bucket_kms_key_arn]
          Condition = local.kms_via_s3
        }],
        [for _ in(length(c.put_prefixes) > 0 ? [1] : []) : {
          Sid      = "PutObjects"
          Effect   = "Allow"
          Action   = ["s3:PutObject", "s3:AbortMultipartUpload"]
          Resource = [for p in c.put_prefixes : "${var.bucket_arn}/${p}*"]
        }],
        [for _ in(length(c.put_prefixes) > 0 ? [1] : []) : {
          # Multipart uploads of SSE-KMS objects need Decrypt as well as GenerateDataKey.
          Sid       = "EncryptObjectsWrittenThroughS3"
          Effect    = "Allow"
          Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
          Resource  = [var.bucket_kms_key_arn]
          Condition = local.kms_via_s3
        }],
        [for _ in(length(c.list_prefixes) > 0 ? [1] : []) : {
          Sid       = "ListPrefixes"
          Effect    = "Allow"
          Action    = ["s3:ListBucket"]
          Resource  = [var.bucket_arn]
          Condition = { StringLike = { "s3:prefix" = [for p in c.list_prefixes : "${p}*"] } }
        }],
      )
    }
  }
}

resource "aws_iam_role" "component" {
  for_each = var.components

  name        = "${var.name_prefix}-${each.key}"
  description = "FARO ${each.key}: S3 access of ${var.namespace}/${each.value.service_account} in ${var.cluster_name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EksPodIdentity"
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Condition = {
        StringEquals = {
          "aws:RequestTag/eks-cluster-name"           = var.cluster_name
          "aws:RequestTag/kubernetes-namespace"       = var.namespace
          "aws:RequestTag/kubernetes-service-account" = each.value.service_account
        }
      }
    }]
  })
  tags = merge(var.tags, { "faro.io/component" = each.key })
}

resource "aws_iam_role_policy" "component" {
  for_each = var.components

  name   = "s3-${each.key}"
  role   = aws_iam_role.component[each.key].id
  policy = jsonencode(local.policies[each.key])
}

resource "aws_eks_pod_identity_association" "component" {
  for_each = var.components

  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.component[each.key].arn
  tags            = var.tags
}
