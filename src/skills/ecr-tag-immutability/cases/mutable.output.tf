variable "tag_mutability" {
  type    = string
  default = "IMMUTABLE"
}

resource "aws_ecr_repository" "worker" {
  name                 = "worker"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = true
}

resource "aws_ecr_repository" "jobs" {
  name                 = "jobs"
  image_tag_mutability = var.tag_mutability
}
