variable "tls_policy" {
  description = "TLS policy of the logs endpoint"
  type        = string
  default     = "Policy-Min-TLS-1-0-2019-07"
}

resource "aws_elasticsearch_domain" "logs" {
  domain_name           = "logs"
  elasticsearch_version = "7.10"

  domain_endpoint_options {
    enforce_https       = false
    tls_security_policy = var.tls_policy
  }
}
