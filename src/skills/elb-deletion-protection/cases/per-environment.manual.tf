variable "environment" {
  type = string
}

resource "aws_lb" "web" {
  name                       = "web-${var.environment}"
  subnets                    = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
  enable_deletion_protection = var.environment == "prod"
}
