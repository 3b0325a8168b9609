output "bucket" {
  description = "From an override file"
  value       = aws_s3_bucket.west.id
}
