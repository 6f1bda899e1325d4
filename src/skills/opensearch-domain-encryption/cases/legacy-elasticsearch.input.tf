variable "es_version" {
  type    = string
  default = "7.10"
}

resource "aws_elasticsearch_domain" "logs" {
  domain_name           = "app-logs"
  elasticsearch_version = var.es_version

  cluster_config {
    instance_type = "m5.large.elasticsearch"
  }

  ebs_options {
    ebs_enabled = true
    volume_size = 50
  }

  node_to_node_encryption {
    enabled = true
  }
}
