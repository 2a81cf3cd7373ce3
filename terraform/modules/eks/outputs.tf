output "cluster_name" {
  description = "The EKS cluster's name (aws eks update-kubeconfig --name ...)."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "The EKS cluster's ARN."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "The Kubernetes API's URL."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "The cluster CA certificate (base64 PEM)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_security_group_id" {
  description = "The security group EKS made for the control plane and the nodes to talk to each other."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_security_group_id" {
  description = "The nodes' own security group: the source RDS admits on 5432."
  value       = aws_security_group.node.id
}

output "node_role_arn" {
  description = "The nodes' IAM role."
  value       = aws_iam_role.node.arn
}

output "secrets_kms_key_arn" {
  description = "The KMS key that encrypts Kubernetes secrets."
  value       = aws_kms_key.secrets.arn
}

output "pod_identity_agent_addon" {
  description = "The eks-pod-identity-agent add-on, for modules that must wait for it."
  value       = aws_eks_addon.pod_identity_agent.id
}

output "settings" {
  description = "What this module planned that matters for availability and security, read by the terraform tests (terraform/envs/*/tests) and worth a look before apply."
  value = {
    endpoint_private_access   = aws_eks_cluster.this.vpc_config[0].endpoint_private_access
    endpoint_public_access    = aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    public_access_cidrs       = var.endpoint_public_access ? aws_eks_cluster.this.vpc_config[0].public_access_cidrs : toset([])
    enabled_cluster_log_types = aws_eks_cluster.this.enabled_cluster_log_types
    log_retention_days        = aws_cloudwatch_log_group.cluster.retention_in_days
    encrypted_resources       = flatten([for c in aws_eks_cluster.this.encryption_config : c.resources])
    secrets_key_rotation      = aws_kms_key.secrets.enable_key_rotation
    authentication_mode       = aws_eks_cluster.this.access_config[0].authentication_mode
    subnet_count              = length(var.subnet_ids) # the control plane and every node group
    addons = [for a in [aws_eks_addon.vpc_cni, aws_eks_addon.kube_proxy, aws_eks_addon.coredns,
    aws_eks_addon.pod_identity_agent, aws_eks_addon.ebs_csi] : a.addon_name]
    network_policy_enforced = jsondecode(aws_eks_addon.vpc_cni.configuration_values).enableNetworkPolicy == "true"
    node_groups = { for name, g in aws_eks_node_group.this : name => {
      instance_types = g.instance_types
      capacity_type  = g.capacity_type
      min_size       = g.scaling_config[0].min_size
      max_size       = g.scaling_config[0].max_size
      desired_size   = g.scaling_config[0].desired_size
      imds_tokens    = aws_launch_template.node[name].metadata_options[0].http_tokens
      imds_hop_limit = aws_launch_template.node[name].metadata_options[0].http_put_response_hop_limit
      root_encrypted = aws_launch_template.node[name].block_device_mappings[0].ebs[0].encrypted
    } }
  }
}
