resource "aws_s3_bucket" "drop" {
  bucket = "acme-partner-drop"
}

resource "aws_s3_bucket_ownership_controls" "drop" {
  bucket = aws_s3_bucket.drop.id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_acl" "drop" {
  depends_on = [aws_s3_bucket_ownership_controls.drop]

  bucket = aws_s3_bucket.drop.id
  acl    = "authenticated-read"
}
