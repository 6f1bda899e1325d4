variable "public_subnet_ids" {
  type = list(string)
}

resource "aws_lb" "web" {
  name    = "web"
  subnets = var.public_subnet_ids

  access_logs {
    bucket  = "acme-elb-access-logs"
    prefix  = "web"
    enabled = true
  }
}

# Network Load Balancers are not evaluated by ELB.5.
resource "aws_lb" "tcp" {
  name               = "tcp"
  load_balancer_type = "network"
  subnets            = var.public_subnet_ids
}

# A Classic Load Balancer's access_logs block is enabled unless it says otherwise.
resource "aws_elb" "classic" {
  name               = "classic"
  availability_zones = ["us-east-1a"]

  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }

  access_logs {
    bucket   = "acme-elb-access-logs"
    interval = 60
  }
}
