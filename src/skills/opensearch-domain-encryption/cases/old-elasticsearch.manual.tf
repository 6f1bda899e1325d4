# Kept on 6.3 until the reporting plugin is ported.
resource "aws_elasticsearch_domain" "reports" {
  domain_name           = "reports"
  elasticsearch_version = "6.3"

  cluster_config {
    instance_type = "r5.large.elasticsearch"
  }
}
