resource "aws_ecr_repository" "jobs" {
  name = "jobs"
}

resource "aws_ecr_lifecycle_policy" "jobs" {
  repository = "jobs"
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 30
      }
      action = {
        type = "expire"
      }
    }]
  })
}
