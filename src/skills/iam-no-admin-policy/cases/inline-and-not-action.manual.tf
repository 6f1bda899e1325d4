resource "aws_iam_role" "ci" {
  name = "ci-runner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })

  inline_policy {
    name   = "everything"
    policy = <<-EOT
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Action": "*:*",
            "Resource": "*"
          }
        ]
      }
    EOT
  }
}

resource "aws_iam_user" "contractor" {
  name = "contractor"
}

// "Everything but deleting buckets" still includes iam:AttachUserPolicy.
resource "aws_iam_user_policy" "contractor" {
  name = "contractor"
  user = aws_iam_user.contractor.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllButDelete"
      Effect    = "Allow"
      NotAction = ["s3:DeleteBucket", "s3:DeleteObject"]
      Resource  = "*"
    }]
  })
}
