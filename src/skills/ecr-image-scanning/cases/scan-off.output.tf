locals {
  scan = false
}

resource "aws_ecr_repository" "worker" {
  name = "worker"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "web" {
  name = "web"
  image_scanning_configuration {
    scan_on_push = true # turned off while testing
  }
}
