variable "environment" {
  type = string
}

resource "aws_iam_group" "oncall" {
  name = "oncall-${var.environment}"
}

resource "aws_iam_group_policy" "oncall" {
  name  = "oncall"
  group = aws_iam_group.oncall.name

  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Runbooks",
          "Effect": "Allow",
          "Action": ["ssm:StartAutomationExecution"],
          "Resource": "arn:aws:ssm:*:*:automation-definition/${var.environment}-*"
        },
        {
          "Sid": "Incident",
          "Effect": "Allow",
          "Action": "*",
          "Resource": ["*"]
        }
      ]
    }
  POLICY
}
