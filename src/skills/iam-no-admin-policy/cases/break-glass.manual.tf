resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

# Operators' policy. The break-glass statement was meant to be temporary.
resource "aws_iam_policy" "operators" {
  name        = "operators"
  description = "Day-to-day operations"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadReports"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/*"]
      },
      {
        Sid      = "BreakGlass"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
