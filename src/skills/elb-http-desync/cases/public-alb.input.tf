# Public entry point of the storefront.
resource "aws_lb" "web" {
  name               = "storefront"
  internal           = false
  load_balancer_type = "application"
  security_groups    = ["sg-0123456789abcdef0"]
  subnets            = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]

  tags = {
    team = "storefront"
  }
}
