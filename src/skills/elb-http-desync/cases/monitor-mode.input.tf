variable "drop_invalid_headers" {
  type    = bool
  default = true
}

resource "aws_alb" "api" {
  name                       = "api"
  subnets                    = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
  drop_invalid_header_fields = var.drop_invalid_headers
  desync_mitigation_mode     = "monitor"
}

resource "aws_elb" "legacy" {
  name                   = "legacy"
  availability_zones     = ["us-east-1a"]
  desync_mitigation_mode = "monitor"

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}
