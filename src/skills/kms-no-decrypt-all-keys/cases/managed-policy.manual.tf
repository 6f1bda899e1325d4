# Lets the reporting job read exports.
resource "aws_iam_policy" "reporting" {
  name = "reporting-exports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadExports"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "arn:aws:s3:::exports/*"
      },
      {
        Sid      = "DecryptExports"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = "*"
      }
    ]
  })
}
