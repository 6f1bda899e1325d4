resource "aws_iam_policy" "uploads" {
  name = "uploads-writer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Uploads"
        Effect   = "Allow"
        Action   = ["s3:*"]
        Resource = ["arn:aws:s3:::uploads-111122223333", "arn:aws:s3:::uploads-111122223333/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "queue" {
  statement {
    sid       = "Queue"
    actions   = ["sqs:*", "kms:Decrypt"]
    resources = ["arn:aws:sqs:eu-west-1:111122223333:jobs"]
  }
}

resource "aws_iam_policy" "queue" {
  name   = "jobs-queue"
  policy = data.aws_iam_policy_document.queue.json
}
