resource "aws_lb" "tcp" {
  name               = "tcp-ingest"
  load_balancer_type = "network"
  subnets            = ["subnet-0aaa1111bbbb2222c"]
}

resource "aws_alb" "api" {
  name                       = "api"
  subnets                    = ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"]
  enable_deletion_protection = false
}
