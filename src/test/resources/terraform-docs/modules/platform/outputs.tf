output "cluster_endpoint" {
  description = "API endpoint of the cluster"
  value       = module.cluster.endpoint
}

output "oidc_thumbprint" {
  value     = data.tls_certificate.oidc.certificates[0].sha1_fingerprint
  sensitive = true
}
