resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.13"

  cluster_config {
    instance_type = "m6g.large.search"
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-4a5b-9c8d-7e6f5a4b3c2d"
  }

  node_to_node_encryption {
    enabled = true
  }
}
