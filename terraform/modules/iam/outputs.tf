output "role_arns" {
  description = "IAM role ARN per component."
  value       = { for name, role in aws_iam_role.component : name => role.arn }
}

output "service_accounts" {
  description = "Service account per component: the chart must run each component's pods as this account in the namespace."
  value       = { for name, c in var.components : name => c.service_account }
}

output "namespace" {
  description = "The Kubernetes namespace the roles are bound to."
  value       = var.namespace
}

output "settings" {
  description = "The planned trust and permission policies per component (decoded), read by the terraform tests (terraform/envs/*/tests) and worth a look before apply."
  value = {
    policies       = { for name, p in aws_iam_role_policy.component : name => jsondecode(p.policy) }
    trust_policies = { for name, r in aws_iam_role.component : name => jsondecode(r.assume_role_policy) }
    associations = { for name, a in aws_eks_pod_identity_association.component : name => {
      namespace       = a.namespace
      service_account = a.service_account
    } }
  }
}
