locals {
  domain = "orders-search"
}

resource "aws_opensearch_domain" "orders" {
  domain_name    = local.domain
  engine_version = "OpenSearch_2.11"

  cluster_config {
    instance_type = "r6g.large.search"
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }
}
