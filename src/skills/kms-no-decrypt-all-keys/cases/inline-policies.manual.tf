data "aws_iam_policy_document" "kms" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "app_kms" {
  name   = "kms"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.kms.json
}

resource "aws_iam_user_policy" "migrator" {
  name = "reencrypt"
  user = "migrator"
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "kms:ReEncrypt*", "Resource": "*"}]
    }
  POLICY
}
