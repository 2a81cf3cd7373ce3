output "vpc_id" {
  description = "The VPC's id."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's IPv4 range."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "The three private subnets (EKS nodes, pods, RDS), in the order of availability_zones."
  value       = aws_subnet.private[*].id
}

output "private_subnet_cidrs" {
  description = "The private subnets' IPv4 ranges, where RDS's addresses are (the chart's networkPolicy.postgres.cidrs)."
  value       = aws_subnet.private[*].cidr_block
}

output "public_subnet_ids" {
  description = "The three public subnets (NAT gateways, internet-facing load balancers)."
  value       = aws_subnet.public[*].id
}

output "availability_zones" {
  description = "The three availability zones, in subnet order."
  value       = local.azs
}

output "nat_gateway_ids" {
  description = "The NAT gateways: one, or one per zone."
  value       = aws_nat_gateway.this[*].id
}

output "s3_endpoint_id" {
  description = "The S3 gateway endpoint on the private route tables."
  value       = aws_vpc_endpoint.s3.id
}

output "settings" {
  description = "What this module planned that matters for availability and security, read by the terraform tests (terraform/envs/*/tests) and worth a look before apply."
  value = {
    private_subnet_azs  = aws_subnet.private[*].availability_zone
    public_subnet_azs   = aws_subnet.public[*].availability_zone
    private_subnet_tags = aws_subnet.private[*].tags
    public_subnet_tags  = aws_subnet.public[*].tags
    public_ip_on_launch = aws_subnet.public[*].map_public_ip_on_launch
    nat_gateway_count   = length(aws_nat_gateway.this)
    s3_endpoint_type    = aws_vpc_endpoint.s3.vpc_endpoint_type
    s3_endpoint_service = aws_vpc_endpoint.s3.service_name
  }
}
