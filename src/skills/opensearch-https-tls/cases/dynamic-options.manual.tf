variable "endpoint" {
  type = object({ https = bool, policy = string })
}

resource "aws_opensearch_domain" "shared" {
  domain_name = "shared"

  dynamic "domain_endpoint_options" {
    for_each = [var.endpoint]
    content {
      enforce_https       = domain_endpoint_options.value.https
      tls_security_policy = domain_endpoint_options.value.policy
    }
  }
}
