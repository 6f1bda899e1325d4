resource "aws_s3_bucket" "backups" {
  bucket = "acme-db-backups"
}

# Shared by several stacks, so it names the bucket by ARN rather than by reference.
data "aws_iam_policy_document" "backups" {
  statement {
    sid       = "BackupRole"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-db-backups/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/backup"]
    }
  }
}

resource "aws_s3_bucket_policy" "backups" {
  bucket = aws_s3_bucket.backups.id
  policy = data.aws_iam_policy_document.backups.json
}

resource "aws_s3_bucket" "tenant" {
  count  = 3
  bucket = "acme-tenant-${count.index}"
}
