# Search for the product catalogue.
resource "aws_opensearch_domain" "catalogue" {
  domain_name    = "catalogue"
  engine_version = "OpenSearch_2.11"

  cluster_config {
    instance_type  = "r6g.large.search"
    instance_count = 3
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 100
  }

  encrypt_at_rest {
    enabled = true # turned off while load testing
  }

  node_to_node_encryption {
    enabled = true
  }
}
