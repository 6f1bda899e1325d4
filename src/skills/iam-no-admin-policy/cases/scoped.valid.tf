resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
}

resource "aws_iam_policy" "power_user" {
  name = "power-user"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        NotAction = ["iam:*", "organizations:*", "account:*"]
        Resource  = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["iam:CreateServiceLinkedRole", "iam:ListRoles"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_group_policy" "scratch" {
  name  = "scratch-owners"
  group = "scratch-owners"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "OwnScratch"
        Effect   = "Allow"
        Action   = "*"
        Resource = [aws_s3_bucket.scratch.arn, "${aws_s3_bucket.scratch.arn}/*"]
      },
      {
        Sid       = "OfficeOnly"
        Effect    = "Deny"
        Action    = "*"
        Resource  = "*"
        Condition = { NotIpAddress = { "aws:SourceIp" = ["203.0.113.0/24"] } }
      },
    ]
  })
}

data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
