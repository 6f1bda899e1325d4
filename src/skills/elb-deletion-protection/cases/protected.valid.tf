variable "deletion_protection" {
  type    = bool
  default = true
}

resource "aws_lb" "web" {
  name                       = "web"
  subnets                    = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
  enable_deletion_protection = var.deletion_protection
}

resource "aws_lb" "inspection" {
  name                       = "inspection"
  load_balancer_type         = "gateway"
  subnets                    = ["subnet-0aaa1111bbbb2222c"]
  enable_deletion_protection = true
}
