# Encrypts the data lake buckets.
resource "aws_kms_key" "data" {
  description             = "acme data lake"
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "data" {
  name          = "alias/acme-data"
  target_key_id = aws_kms_key.data.key_id
}

# The CI pipeline deploys everything, so it got everything.
resource "aws_iam_policy" "ci_deployer" {
  name        = "ci-deployer"
  description = "Deployment role of the CI pipeline"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Deploy"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
