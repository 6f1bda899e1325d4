locals {
  scan = false
}

resource "aws_ecr_repository" "worker" {
  name = "worker"

  image_scanning_configuration {
    scan_on_push = local.scan
  }
}

resource "aws_ecr_repository" "web" {
  name = "web"
  image_scanning_configuration {
    scan_on_push = false # turned off while testing
  }
}
