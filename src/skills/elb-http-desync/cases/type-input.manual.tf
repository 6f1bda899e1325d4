variable "lb_type" {
  type = string
}

variable "drop_headers" {
  type = bool
}

resource "aws_lb" "shared" {
  name               = "shared"
  load_balancer_type = var.lb_type
  subnets            = ["subnet-0aaa1111bbbb2222c"]
}

resource "aws_lb" "web" {
  name                       = "web"
  subnets                    = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
  drop_invalid_header_fields = var.drop_headers
}
