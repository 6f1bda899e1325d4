resource "aws_opensearch_domain" "sandbox" {
  domain_name    = "sandbox"
  engine_version = "OpenSearch_2.11"

  node_to_node_encryption {
    enabled = true
  }
}
