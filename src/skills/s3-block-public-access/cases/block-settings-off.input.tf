resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads"
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  block_public_acls   = true
  block_public_policy = false # temporarily, for the partner share
  ignore_public_acls  = false
}
