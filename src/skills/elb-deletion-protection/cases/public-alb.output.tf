# Public entry point of the storefront.
resource "aws_lb" "web" {
  name                       = "storefront"
  internal                   = false
  load_balancer_type         = "application"
  subnets                    = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
  enable_deletion_protection = true

  access_logs {
    bucket  = "acme-lb-logs"
    enabled = true
  }
}
