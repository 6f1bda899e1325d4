resource "aws_lb" "web" {
  name                       = "web"
  subnets                    = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "strictest"
}

# Network load balancers do not read HTTP.
resource "aws_lb" "tcp" {
  name               = "tcp"
  load_balancer_type = "network"
  subnets            = ["subnet-0aaa1111bbbb2222c"]
}

resource "aws_elb" "legacy" {
  name               = "legacy"
  availability_zones = ["us-east-1a"]

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}
